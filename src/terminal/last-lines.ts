// The end of a tool's output, on one line: what a sentence about its failure quotes.
export function lastLines(text: string, count = 3): string {
  return text.trim().split('\n').slice(-count).join(' | ');
}
