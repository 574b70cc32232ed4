/** The first non-empty line of a command's output, short enough for a line of evidence. */
export function firstLine(text: string): string {
  return (text.split('\n').find((line) => line.trim() !== '') ?? '').trim().slice(0, 120);
}
