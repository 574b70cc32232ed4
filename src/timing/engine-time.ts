// The Docker engine writes its times as RFC 3339 with nanoseconds ("2026-12-07T17:29:29.896690995Z"),
// and "0001-01-01T00:00:00Z" for a moment that has not happened (the FinishedAt of a container
// that never exited). Date.parse keeps only whole milliseconds; these keep the fraction.

/** Milliseconds since the epoch, to the nanosecond the engine wrote; undefined for the zero time or anything else. */
export function engineTimeMs(text: string): number | undefined {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$/.exec(text.trim());
  if (!match || match[1]!.startsWith('0001-')) return undefined;
  const whole = Date.parse(`${match[1]}${match[3]}`);
  return Number.isNaN(whole) ? undefined : whole + Number(`0${match[2] ?? ''}`) * 1000;
}
