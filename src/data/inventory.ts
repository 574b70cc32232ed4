// What a restored database holds besides its rows, as the server's own catalogues list it: every
// object by kind, each sequence with the value it gives next and the column it feeds, and the
// roles its objects need. Rows are not the database: a dump without its routines restores every
// row and breaks the application on its first call. Pure functions: what is missing against a
// baseline or a source, which sequence is behind its table, what an object expectation observes.

/** Every kind of object the inventory lists, in the order a reader meets them. */
export const OBJECT_KINDS = [
  'schema',
  'table',
  'view',
  'materialized-view',
  'function',
  'procedure',
  'aggregate',
  'trigger',
  'event',
  'sequence',
  'index',
  'primary-key',
  'unique',
  'foreign-key',
  'check',
  'extension',
  'enum',
  'domain',
  'key-type',
] as const;

export type ObjectKind = (typeof OBJECT_KINDS)[number];

/** How an expectation names a kind in the plural (`objects: { triggers: { min: 6 } }`). */
export const KIND_PLURALS: Record<ObjectKind, string> = {
  schema: 'schemas',
  table: 'tables',
  view: 'views',
  'materialized-view': 'materialized-views',
  function: 'functions',
  procedure: 'procedures',
  aggregate: 'aggregates',
  trigger: 'triggers',
  event: 'events',
  sequence: 'sequences',
  index: 'indexes',
  'primary-key': 'primary-keys',
  unique: 'unique-constraints',
  'foreign-key': 'foreign-keys',
  check: 'check-constraints',
  extension: 'extensions',
  enum: 'enums',
  domain: 'domains',
  'key-type': 'key-types',
};

export interface InventoryObject {
  kind: ObjectKind;
  database: string;
  /** Qualified within its database: `public.orders_total`, `public.orders.orders_audit` (a trigger on its table), `apply_discount` (MySQL). */
  name: string;
  /** The role (PostgreSQL) or definer (MySQL) it belongs to, where the server keeps one. */
  owner?: string;
  /** How many there are of it (Redis: keys of this type). */
  count?: number;
}

export interface SequenceState {
  database: string;
  name: string;
  /** The value its next call gives. */
  next: number;
  increment: number;
  /** The column it fills, where the catalogue ties it to one (owned by, identity or default). */
  feeds: { table: string; column: string; highest: number | null; unique: boolean } | null;
}

export interface Inventory {
  /** Whose catalogues these are: the fix of a sequence is said in its SQL. */
  engine: 'postgres' | 'mysql' | 'redis';
  objects: InventoryObject[];
  sequences: SequenceState[];
  /** Roles (PostgreSQL) or definers (MySQL) that own or are granted the objects. */
  roles: string[];
  /**
   * Where the artifact cannot carry those roles (a pg_dump, a mysqldump of one database): a
   * restore into a new server must bring them from elsewhere. A note, never a finding.
   */
  rolesNote: string | null;
  /** The time reading the catalogues took (the harness's monotonic clock): not part of the recovery. */
  ms: number;
}

/** The one sentence naming an object: `shop.apply_discount (procedure)`. */
export function objectName(object: Pick<InventoryObject, 'kind' | 'database' | 'name'>): string {
  return `${object.database}.${object.name} (${object.kind})`;
}

const identity = (object: Pick<InventoryObject, 'kind' | 'database' | 'name'>) => `${object.kind}\u0000${object.database}\u0000${object.name}`;

/** The objects the earlier inventory had and this one lacks, in the earlier one's order. */
export function missingObjects(earlier: readonly InventoryObject[], now: readonly InventoryObject[]): InventoryObject[] {
  const present = new Set(now.map(identity));
  return earlier.filter((object) => !present.has(identity(object)));
}

/** Objects counted by kind, in the kinds' order: `4 tables, 1 view, 1 trigger`. */
export function kindCounts(objects: readonly Pick<InventoryObject, 'kind'>[]): string {
  const counts = new Map<ObjectKind, number>();
  for (const { kind } of objects) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return OBJECT_KINDS.filter((kind) => counts.has(kind))
    .map((kind) => `${counts.get(kind)} ${counts.get(kind) === 1 ? kind : KIND_PLURALS[kind]}`)
    .join(', ');
}

/** What a restore kept of its source's objects, the lost ones named: a backup drill's report cell. */
export function keptWords(objects: { kept: readonly InventoryObject[]; lost: readonly InventoryObject[] }): string {
  if (objects.lost.length === 0) return `all ${objects.kept.length} kept (${kindCounts(objects.kept)})`;
  return `lost ${objects.lost.map(objectName).join(', ')}; kept ${kindCounts(objects.kept) || 'none'}`;
}

/** How many objects of each kind, per database: the inventory at a glance. */
export function countsByKind(objects: readonly InventoryObject[]): Map<string, Map<ObjectKind, number>> {
  const counts = new Map<string, Map<ObjectKind, number>>();
  for (const object of objects) {
    const ofDatabase = counts.get(object.database) ?? new Map<ObjectKind, number>();
    ofDatabase.set(object.kind, (ofDatabase.get(object.kind) ?? 0) + 1);
    counts.set(object.database, ofDatabase);
  }
  return counts;
}

/** A sequence whose next value is one the column it feeds already holds: the first insert would collide. */
export function isBehind(sequence: SequenceState): boolean {
  const highest = sequence.feeds?.highest;
  if (highest === null || highest === undefined) return false;
  return sequence.increment > 0 ? sequence.next <= highest : sequence.next >= highest;
}

/** How the sequence is set past its rows, in the server's own words. */
function setvalFix(sequence: SequenceState, dialect: Inventory['engine']): string {
  const feeds = sequence.feeds!;
  const extreme = sequence.increment > 0 ? 'max' : 'min';
  return dialect === 'postgres'
    ? `SELECT setval('${sequence.name.replace(/'/g, "''")}', (SELECT ${extreme}(${feeds.column}) FROM ${feeds.table}));`
    : `SELECT SETVAL(${sequence.name}, ${feeds.highest});`;
}

/** Each sequence behind the column it feeds, as a sentence naming both values and the fix. */
export function sequenceProblems(sequences: readonly SequenceState[], dialect: Inventory['engine']): string[] {
  return sequences.filter(isBehind).map((sequence) => {
    const feeds = sequence.feeds!;
    const consequence = feeds.unique
      ? 'the first insert that takes its value would fail with a duplicate key'
      : 'new rows would repeat values the column already holds';
    return `The sequence ${sequence.database}.${sequence.name} would give ${sequence.next.toLocaleString('en')} next, and ${feeds.table}.${feeds.column} already holds ${feeds.highest!.toLocaleString('en')}: ${consequence}. Set it past the rows after the restore: ${setvalFix(sequence, dialect)}`;
  });
}

/** An expectation that names an object: `procedure apply_discount`, `view public.orders_total`. */
export function parseObjectExpectation(text: string): { kind: ObjectKind; name: string } | undefined {
  const found = /^\s*([a-z-]+)\s+(\S.*?)\s*$/.exec(text);
  if (!found || !(OBJECT_KINDS as readonly string[]).includes(found[1]!)) return undefined;
  return { kind: found[1] as ObjectKind, name: found[2]! };
}

/** The kind a plural names (`triggers`), if any. */
export function kindOfPlural(plural: string): ObjectKind | undefined {
  return OBJECT_KINDS.find((kind) => KIND_PLURALS[kind] === plural);
}

export interface ObjectJudgement {
  expectation: string;
  observed: string;
  passed: boolean;
}

/**
 * `object: procedure apply_discount`: such an object exists, in the database named or any. The
 * name matches whole or as its last part (`apply_discount` finds `public.apply_discount(integer)`).
 */
export function judgeObject(text: string, database: string | undefined, inventory: Inventory | null): ObjectJudgement {
  const expectation = `${text.trim()} exists${database ? ` (in ${database})` : ''}`;
  const wanted = parseObjectExpectation(text);
  if (!wanted) return { expectation, observed: `"${text}" names no kind of object (${OBJECT_KINDS.join(', ')})`, passed: false };
  if (!inventory) return { expectation, observed: 'the restore has no inventory (persist cannot list the objects of this server)', passed: false };
  const bare = (name: string) => name.replace(/\(.*\)$/, '');
  const found = inventory.objects.find(
    (object) =>
      object.kind === wanted.kind &&
      (database === undefined || object.database === database) &&
      (bare(object.name) === wanted.name || bare(object.name).endsWith(`.${wanted.name}`) || object.name === wanted.name),
  );
  return found ? { expectation, observed: objectName(found), passed: true } : { expectation, observed: `no ${wanted.kind} ${wanted.name}`, passed: false };
}

/** `objects: { triggers: { min: 6 } }`: how many of a kind there are, in the database named or in all. */
export function judgeObjectCount(
  plural: string,
  bounds: { min?: number; max?: number; equals?: number },
  database: string | undefined,
  inventory: Inventory | null,
): ObjectJudgement {
  const words = [
    bounds.equals === undefined ? undefined : `= ${bounds.equals}`,
    bounds.min === undefined ? undefined : `≥ ${bounds.min}`,
    bounds.max === undefined ? undefined : `≤ ${bounds.max}`,
  ].filter(Boolean);
  const expectation = `${plural}${database ? ` (in ${database})` : ''} ${words.join(', ') || 'counted'}`;
  const kind = kindOfPlural(plural);
  if (!kind) return { expectation, observed: `${plural} is no kind of object (${Object.values(KIND_PLURALS).join(', ')})`, passed: false };
  if (!inventory) return { expectation, observed: 'the restore has no inventory (persist cannot list the objects of this server)', passed: false };
  const count = inventory.objects.filter((object) => object.kind === kind && (database === undefined || object.database === database)).length;
  const passed =
    (bounds.equals === undefined || count === bounds.equals) &&
    (bounds.min === undefined || count >= bounds.min) &&
    (bounds.max === undefined || count <= bounds.max);
  return { expectation, observed: String(count), passed };
}
