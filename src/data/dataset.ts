// The data a scenario writes before it disrupts anything: the seed's `employees` rows plus a
// larger table generated from a fixed seed, so every run and every target writes the same rows.
export type ColumnType = 'id' | 'text' | 'date' | 'timestamp' | 'decimal' | 'integer';

export interface Column {
  name: string;
  type: ColumnType;
}

export type CellValue = string | number;

export interface TableData {
  name: string;
  /** The first column is the primary key; fingerprints order rows by it. */
  columns: Column[];
  rows: CellValue[][];
}

export interface Dataset {
  name: string;
  tables: TableData[];
}

/** The three rows of the seed tutorial's `employees` example. */
export function seedEmployees(): TableData {
  return {
    name: 'employees',
    columns: [
      { name: 'id', type: 'id' },
      { name: 'name', type: 'text' },
      { name: 'department', type: 'text' },
      { name: 'hire_date', type: 'date' },
    ],
    rows: [
      [1, 'Alice Johnson', 'Engineering', '2023-01-15'],
      [2, 'Bob Smith', 'Marketing', '2023-02-20'],
      [3, 'Carol Wilson', 'HR', '2023-03-10'],
    ],
  };
}

const SENSORS = ['boiler', 'chiller', 'pump-a', 'pump-b', 'intake', 'exhaust', 'tank-1', 'tank-2'];
const NOTES = ['ok', 'calibrated', 'spike', 'drift', 'maintenance', 'ok', 'ok', 'résumé ✓'];

/** A deterministic table of sensor readings; the same seed gives the same rows everywhere. */
export function generatedReadings(rowCount: number, seed = 20_251_128): TableData {
  const random = mulberry32(seed);
  const start = Date.UTC(2024, 0, 1);
  const rows: CellValue[][] = [];
  for (let id = 1; id <= rowCount; id++) {
    const sensor = SENSORS[Math.floor(random() * SENSORS.length)] ?? 'boiler';
    const value = (Math.floor(random() * 2_000_000) - 1_000_000) / 1000; // three decimals, exact in SQL
    const takenAt = new Date(start + id * 60_000 + Math.floor(random() * 59) * 1000);
    const note = NOTES[Math.floor(random() * NOTES.length)] ?? 'ok';
    const level = Math.floor(random() * 100);
    rows.push([id, sensor, value.toFixed(3), sqlTimestamp(takenAt), level, `${note} #${id}`]);
  }
  return {
    name: 'readings',
    columns: [
      { name: 'id', type: 'id' },
      { name: 'sensor', type: 'text' },
      { name: 'value', type: 'decimal' },
      { name: 'taken_at', type: 'timestamp' },
      { name: 'level', type: 'integer' },
      { name: 'note', type: 'text' },
    ],
    rows,
  };
}

export const DEFAULT_GENERATED_ROWS = 10_000;

export function standardDataset(generatedRows = DEFAULT_GENERATED_ROWS): Dataset {
  return { name: `employees + ${generatedRows} readings`, tables: [seedEmployees(), generatedReadings(generatedRows)] };
}

function sqlTimestamp(date: Date): string {
  return date.toISOString().replace('T', ' ').slice(0, 19);
}

/** A small, well-known PRNG: deterministic across platforms, good enough for test data. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
