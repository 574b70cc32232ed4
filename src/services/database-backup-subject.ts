// Any database's backup subject, from its driver: its data directory on a volume, initialised once
// by the image's own first start, its dataset written and fingerprinted in SQL, its write ledger a
// table the driver keeps.
import type { DatabaseConnection } from '../stack/database-target.ts';
import type { ServiceTarget } from './drivers.ts';
import { copyInitialised } from '../probes/initialised-copy.ts';
import { startLedgerLoop } from '../probes/ledger.ts';
import { SqlProbe } from '../probes/sql-probe.ts';
import { dataLayoutOf } from '../storage/data-layout.ts';
import { type BackupSubject, startService } from './backup-subject-shape.ts';
import { listsObjects, objectsInServer } from './server-objects.ts';

export function databaseSubject(target: ServiceTarget): BackupSubject {
  return {
    name: target.name,
    displayName: target.displayName,
    image: target.image,
    dataMount: async (image) => (await dataLayoutOf(image, target.dataPaths)).dataMount,
    crashRecoveryMarkers: target.crashRecoveryMarkers,
    readyMarker: target.readyMarker,
    initialisationMarkers: target.initialisationMarkers,
    logicalBackup: target.logicalBackup,
    procedureEnv: target.procedureEnv,

    async initialise(env, volume, templateScope) {
      const { dataMount } = await dataLayoutOf(env.image, target.dataPaths);
      return copyInitialised(
        target,
        { server: env.image, toolbox: env.toolboxImage },
        { kind: 'named-volume', source: volume, mountPath: dataMount },
        templateScope,
        env.scope,
      );
    },

    async create(env, volume) {
      const { dataMount } = await dataLayoutOf(env.image, target.dataPaths);
      return startService(env, target.name, volume, () =>
        target.container(env.image, undefined).withBindMounts([{ source: volume, target: dataMount, mode: 'rw' }]),
      );
    },

    async connect(_env, { stack, service, id }, dataset) {
      const probe = new SqlProbe(target, dataset, service);
      // ready() keeps its connection for the session's reads; the writer has one of its own.
      await probe.ready(stack);
      const connection = await probe.connect(stack);
      return {
        serverVersion: () => probe.serverVersion(stack),
        async seed() {
          await probe.seed(stack);
          await connection.createObjects?.(dataset);
          await connection.createLedger();
        },
        snapshot: async () => ({ fingerprint: await probe.fingerprint(stack) }),
        ...(listsObjects(target.name) ? { objects: async () => (await objectsInServer(target.name, id))!.objects } : {}),
        async startWriter(firstId) {
          const writerConnection: DatabaseConnection = await probe.connect(stack);
          const loop = startLedgerLoop(firstId, (id) => writerConnection.writeLedger(id));
          return {
            async stop() {
              const log = await loop.stop();
              await writerConnection.close();
              return log;
            },
          };
        },
        ledgerIds: () => connection.ledgerIds(),
        async close() {
          await connection.close();
          await probe.release();
        },
      };
    },
  };
}
