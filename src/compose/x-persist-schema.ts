// The x-persist block's schema (typebox): the types the code reads it by, and the source of the
// published x-persist.schema.json (`npm run schema`), which the validator is compiled from and an
// editor can use to check the block as it is written.
import Type, { type Static } from 'typebox';
import { KIND_PLURALS, OBJECT_KINDS } from '../data/inventory.ts';

const AbsolutePath = Type.String({ pattern: '^/' });

const Command = (description: string) => Type.String({ minLength: 1, description });

/** How to know the service is ready: a command that exits 0, a log line, or its healthcheck. */
const Ready = Type.Union([
  Command('A shell command run in the container (`docker compose exec`) that exits 0 once the service is ready.'),
  Type.Object(
    { log: Type.String({ minLength: 1, description: 'A regular expression: ready once a log line since the start matches.' }) },
    { additionalProperties: false },
  ),
  Type.Object({ healthcheck: Type.Literal(true, { description: "Ready once the service's healthcheck reports healthy." }) }, { additionalProperties: false }),
]);

/** What a restored backup must hold (`persist verify`): each checked on the throwaway server or the extracted files. */
const Expectation = Type.Union([
  Type.Object(
    {
      sql: Type.String({ minLength: 1, description: 'A query whose first column of its first row is a number (SQL; for Redis, a command such as DBSIZE).' }),
      database: Type.Optional(Type.String({ minLength: 1, description: 'The database to run it in (default: the one the backup restored).' })),
      min: Type.Optional(Type.Number({ description: 'The value must be at least this.' })),
      max: Type.Optional(Type.Number({ description: 'The value must be at most this.' })),
      equals: Type.Optional(Type.Number({ description: 'The value must be exactly this.' })),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { file: Type.String({ minLength: 1, description: 'A path in the restored files (volume tars): it must exist and, for a folder, not be empty.' }) },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      object: Type.String({
        pattern: `^\\s*(${OBJECT_KINDS.join('|')})\\s+\\S`,
        description: 'A kind and a name that must be in the restore: `procedure apply_discount`, `view public.orders_total`, `trigger orders.audit_order`.',
      }),
      database: Type.Optional(Type.String({ minLength: 1, description: 'The database it must be in (default: any).' })),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      objects: Type.Object(
        Object.fromEntries(
          Object.values(KIND_PLURALS).map((plural) => [
            plural,
            Type.Optional(
              Type.Object(
                { min: Type.Optional(Type.Number()), max: Type.Optional(Type.Number()), equals: Type.Optional(Type.Number()) },
                { additionalProperties: false },
              ),
            ),
          ]),
        ),
        {
          additionalProperties: false,
          minProperties: 1,
          description: 'How many objects of each kind the restore must hold: `{ triggers: { min: 6 }, procedures: { equals: 3 } }`.',
        },
      ),
      database: Type.Optional(Type.String({ minLength: 1, description: 'The database they are counted in (default: all).' })),
    },
    { additionalProperties: false },
  ),
]);

const DURATION_PATTERN = '^\\s*\\d+(\\.\\d+)?\\s*(ms|s|m|h|d)\\s*$';
const Duration = Type.String({ pattern: DURATION_PATTERN, description: 'A duration: 90s, 30m, 26h, 7d.' });

export const VerifyExpectations = Type.Object(
  {
    expect: Type.Optional(Type.Array(Expectation)),
    fresh: Type.Optional(
      Type.Object(
        {
          sql: Type.String({ minLength: 1, description: 'A query whose first value is the newest timestamp in the data (read as UTC when it has no zone).' }),
          database: Type.Optional(Type.String({ minLength: 1 })),
          maxAge: Duration,
        },
        {
          additionalProperties: false,
          description: 'The newest row may be at most maxAge old: the data age, the recovery point a restore of this backup gives.',
        },
      ),
    ),
    window: Type.Optional(
      Type.Object(
        { atLeast: Duration },
        {
          additionalProperties: false,
          description:
            "With --archive: the archive's window (from the base backup's end to the last commit replayable without a break) must span at least this long.",
        },
      ),
    ),
    rpo: Type.Optional(
      Type.String({
        pattern: DURATION_PATTERN,
        description: 'With --archive: at most this long from the latest point the archive can be replayed to until the verification (the recovery point).',
      }),
    ),
    allowEmpty: Type.Optional(Type.Literal(true, { description: 'A restore with no table or no row is a pass (otherwise it fails).' })),
    app: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        minItems: 1,
        description:
          "The project's services that use this database (`--app`): each is started as the project configures it, wired to the restored data in this service's place, and must come up on it.",
      }),
    ),
    restore: Type.Optional(
      Command(
        'Your own restore, for a tool persist does not drive (pgBackRest, WAL-G, xtrabackup): run on the host with `sh -c`, it fills the empty volume $PERSIST_VOLUME from $PERSIST_ARTIFACT; the service is then started on it at $PERSIST_DATA_PATH.',
      ),
    ),
  },
  { additionalProperties: false, description: 'What `persist verify` checks a restored backup of this service holds.' },
);

const ServiceSettings = Type.Object(
  {
    data: Type.Optional(Type.Array(AbsolutePath, { description: 'Paths in the container where this service keeps data the harness does not know of.' })),
    ephemeral: Type.Optional(
      Type.Array(AbsolutePath, { description: 'Paths whose loss is intended (a cache on tmpfs): a loss below them is a note, not an error.' }),
    ),
    seed: Type.Optional(Command('Writes known data; run in the container with `sh -c` (`docker compose exec`).')),
    fingerprint: Type.Optional(Command('Prints what must survive; equal output before and after means the data survived.')),
    ready: Type.Optional(Ready),
    backup: Type.Optional(Command('Your backup command, run on the host with `sh -c` from the project directory.')),
    restore: Type.Optional(Command('Your restore command, run on the host with `sh -c` once the service runs on empty storage.')),
    verify: Type.Optional(VerifyExpectations),
    upgrade: Type.Optional(
      Type.Object({ image: Type.String({ minLength: 1, description: 'The image this service is about to be upgraded to.' }) }, { additionalProperties: false }),
    ),
  },
  { additionalProperties: false },
);

export const XPersist = Type.Object({ services: Type.Optional(Type.Record(Type.String(), ServiceSettings)) }, { additionalProperties: false });

export type XPersistSettings = Static<typeof XPersist>;
export type ServiceSettings = Static<typeof ServiceSettings>;
export type ReadySetting = Static<typeof Ready>;
export type VerifySettings = Static<typeof VerifyExpectations>;
export type VerifyExpectation = Static<typeof Expectation>;
