// RabbitMQ's node is named after the container's host name: a new container with a new host name
// is a new, empty node on the same storage. The broken setup (no `hostname:`) and its fixes.
import { describe, expect, test } from 'vitest';
import { storageProfile } from '../services/registry.ts';
import type { DataPath } from './data-paths.ts';
import { viewOf } from './findings.ts';
import { hostnameFinding, loseOnNewContainer, pinnedBy, strandedByHostname } from './hostname-trap.ts';
import type { StorageMount } from './storage-map.ts';

const RABBITMQ = storageProfile('rabbitmq');
const DATA: DataPath = { path: '/var/lib/rabbitmq', why: 'the documented data path', origin: 'documented' };
const named: StorageMount = { target: '/var/lib/rabbitmq', kind: 'named-volume', source: 'p_broker', readOnly: false };
const service = (hostname: string | null, environment: Record<string, string | null> = {}) => ({ hostname, environment });

describe('what pins the node', () => {
  test('nothing, `hostname:`, or the node named with its host', () => {
    expect(pinnedBy(service(null), RABBITMQ)).toBeUndefined();
    expect(pinnedBy(service('broker'), RABBITMQ)).toBe('hostname: broker');
    expect(pinnedBy(service(null, { RABBITMQ_NODENAME: 'rabbit@broker' }), RABBITMQ)).toBe('RABBITMQ_NODENAME=rabbit@broker');
    // A node name without its host still takes the host part from the host name.
    expect(pinnedBy(service(null, { RABBITMQ_NODENAME: 'rabbit' }), RABBITMQ)).toBeUndefined();
    // A server whose data does not follow its host name needs no pin.
    expect(pinnedBy(service(null), storageProfile('postgres'))).toBeDefined();
  });
});

describe('a new container does not find the data of a node whose host name nothing pins', () => {
  test('on a named volume: restart keeps it; recreate, down + up and an upgrade lose it; the finding says why', () => {
    const view = viewOf(DATA, [named]);
    const stranded = strandedByHostname([view], service(null), RABBITMQ);
    expect(stranded).toEqual([view]);
    loseOnNewContainer(stranded);
    expect(view.fates).toMatchObject({ restart: 'kept', 'up --force-recreate': 'lost', 'down + up': 'lost', 'down -v + up': 'lost' });
    const finding = hostnameFinding('broker', view, RABBITMQ);
    expect(finding).toMatchObject({ rule: 'hostname-not-pinned', severity: 'error', loses: 'up --force-recreate', path: '/var/lib/rabbitmq' });
    expect(finding.message).toContain('mnesia/rabbit@<host name>');
    expect(finding.fix).toContain('hostname: broker');
  });

  test('the fix (a pinned host name) leaves the named volume to keep it', () => {
    const view = viewOf(DATA, [named]);
    expect(strandedByHostname([view], service('broker'), RABBITMQ)).toEqual([]);
    expect(view.fates['up --force-recreate']).toBe('kept');
  });

  test('storage that a new container loses anyway is the storage finding, not this one', () => {
    const layer = viewOf(DATA, []);
    expect(strandedByHostname([layer], service(null), RABBITMQ)).toEqual([]);
  });
});
