// A fingerprint is what a target reads back to prove its data: per table, whether it exists,
// how many rows it has, and a hash of its content in primary-key order, computed in SQL.
export interface TableFingerprint {
  present: boolean;
  rows: number;
  /** Hex digest of the ordered content; null when the table is absent. */
  contentHash: string | null;
}

export type Fingerprint = Record<string, TableFingerprint>;

export interface FingerprintComparison {
  identical: boolean;
  /** Rows present before and missing after (a whole absent table counts all its rows). */
  rowsLost: number;
  /** Rows present after that were not there before. */
  rowsUnexpected: number;
  /** One short sentence per difference, for the evidence. */
  differences: string[];
}

/** How differences are worded: database tables by default, other things by their own names. */
export interface Wording {
  subject: (name: string) => string;
  unit: string;
}

const TABLES: Wording = { subject: (name) => `table ${name}`, unit: 'rows' };

export function compareFingerprints(before: Fingerprint, after: Fingerprint, wording: Wording = TABLES): FingerprintComparison {
  const { subject, unit } = wording;
  const differences: string[] = [];
  let rowsLost = 0;
  let rowsUnexpected = 0;
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  for (const name of names) {
    const was = before[name] ?? { present: false, rows: 0, contentHash: null };
    const now = after[name] ?? { present: false, rows: 0, contentHash: null };
    if (was.present && !now.present) {
      differences.push(`${subject(name)} is absent (had ${was.rows} ${unit})`);
      rowsLost += was.rows;
      continue;
    }
    if (!was.present && now.present) {
      differences.push(`${subject(name)} appeared with ${now.rows} ${unit}`);
      rowsUnexpected += now.rows;
      continue;
    }
    if (now.rows < was.rows) rowsLost += was.rows - now.rows;
    if (now.rows > was.rows) rowsUnexpected += now.rows - was.rows;
    if (now.rows !== was.rows) differences.push(`${subject(name)} has ${now.rows} ${unit}, had ${was.rows}`);
    else if (now.contentHash !== was.contentHash) differences.push(`${subject(name)} has ${now.rows} ${unit} but different content`);
  }
  return { identical: differences.length === 0, rowsLost, rowsUnexpected, differences };
}

export function summariseFingerprint(fingerprint: Fingerprint): string {
  const parts = Object.entries(fingerprint).map(([name, t]) => (t.present ? `${name}: ${t.rows} rows, ${t.contentHash?.slice(0, 12)}` : `${name}: absent`));
  return parts.join('; ');
}
