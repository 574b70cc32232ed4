// Plain-text tables for the terminal: each column padded to its widest cell, the last not padded.
export function columns(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, index) => Math.max(...rows.map((row) => (row[index] ?? '').length))) ?? [];
  return rows.map((row) => row.map((value, index) => (index === row.length - 1 ? value : value.padEnd(widths[index] ?? 0))).join('  '));
}
