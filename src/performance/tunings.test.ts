import { GenericContainer } from 'testcontainers';
import { describe, expect, test } from 'vitest';
import { claimsOf } from './claims.ts';
import { judgeTuning } from './figures.ts';
import { METRICS } from './metrics.ts';
import { seedTunings, tuningOf } from './tunings.ts';

const MACHINE = { filesystem: 'xfs', device: 'vda', storageDriver: 'overlay2' } as Parameters<typeof claimsOf>[2];

describe("the seed's tuning advice, read from the service folders", () => {
  test('PostgreSQL and MySQL carry it, in the registry order', () => {
    expect(seedTunings().map(({ service, advice }) => `${service}: ${advice.id}`)).toEqual(['postgres: postgres-shm-tmpfs', 'mysql: mysql-buffer-pool']);
  });

  test('a server option becomes the variant’s server arguments; docker run flags change the container', () => {
    const mysql = tuningOf('mysql', METRICS.sysbenchTps);
    expect(mysql.variant.serverArgs).toEqual(['--innodb-buffer-pool-size=1G']);
    expect(mysql.spec).toMatchObject({ id: 'mysql-buffer-pool', target: 'mysql', metric: METRICS.sysbenchTps });
    const postgres = tuningOf('postgres', METRICS.pgbenchTps);
    expect(postgres.variant.serverArgs).toBeUndefined();
    const plain = new GenericContainer('postgres');
    expect(postgres.variant.adjust?.(plain)).toBe(plain);
  });

  test('a service without advice is refused by name', () => {
    expect(() => tuningOf('redis', METRICS.pgbenchTps)).toThrow(/redis has no tuning/);
  });

  test('each measured tuning answers its own seed claim, matched by id', () => {
    const measured = judgeTuning(tuningOf('mysql', METRICS.sysbenchTps).spec, [100, 110, 105], [150, 160, 155]);
    const claims = claimsOf([], [measured], MACHINE).filter((claim) => claim.seed.includes('tuning'));
    expect(claims).toEqual([{ seed: 'MySQL tuning: --innodb-buffer-pool-size=1G', measured: measured.finding }]);
  });
});
