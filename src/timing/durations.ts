// Durations as people write them in settings ("26h") and read them in reports ("1d 2h").
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** "26h" → ms; undefined for anything else. */
export function parseDuration(text: string): number | undefined {
  const found = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/.exec(text);
  return found ? Number(found[1]) * UNIT_MS[found[2] as keyof typeof UNIT_MS] : undefined;
}

/** "1d 2h" style, for a reader: the largest two units. */
export function describeDuration(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1_000],
  ] as const) {
    const whole = Math.floor(rest / size);
    if (whole > 0 || (unit === 's' && parts.length === 0)) parts.push(`${whole}${unit}`);
    rest -= whole * size;
    if (parts.length === 2) break;
  }
  return sign + parts.join(' ');
}
