import { describe, expect, test } from 'vitest';
import { identify } from './drill.ts';

describe("a result's identity", () => {
  const about = { scenario: 's', title: 't', expected: 'survives' as const };

  test('the id joins target, storage, disruption and the variant when there is one', () => {
    expect(identify({ target: 'postgres', storage: 'named-volume', disruption: 'recreate' }, about)).toEqual({
      id: 'postgres/named-volume/recreate',
      scenario: 's',
      title: 't',
      target: 'postgres',
      storage: 'named-volume',
      disruption: 'recreate',
      expected: 'survives',
    });
    expect(identify({ target: 'redis', storage: 'bind-mount', disruption: 'kill', variant: 'durable' }, about).id).toBe('redis/bind-mount/kill/durable');
  });

  test('an id given is kept', () => {
    expect(
      identify({ target: 'mysql', storage: 'named-volume', disruption: 'backup-restore', variant: 'v' }, { ...about, id: 'mysql/backup-restore/v' }).id,
    ).toBe('mysql/backup-restore/v');
  });
});
