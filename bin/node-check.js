// Whether this Node is new enough for persist, decided before anything else loads: an older Node
// fails later in ways that name nothing useful (`TEXT_ENCODINGS.union is not a function`). The
// minimum is package.json's `engines.node`, the one source .ci/lib.sh reads too. Plain JavaScript
// with syntax any Node since 14 parses, so the sentence reaches the person on the Node they have.
import { readFileSync, realpathSync } from 'node:fs';

/** The `engines.node` range of package.json, e.g. ">=22.22". */
export function enginesRange() {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  return manifest.engines.node;
}

/** "22.22" of ">=22.22": the only form of range the package uses, so anything else is a mistake here. */
export function minimumOf(range) {
  const found = /^>=\s*(\d+(?:\.\d+){0,2})$/.exec(range.trim());
  if (!found) throw new Error(`package.json engines.node must read ">=MAJOR.MINOR[.PATCH]", not "${range}"`);
  return found[1];
}

/** Negative, 0 or positive as version a is older than, the same as or newer than b ("22.21.0" against "22.22"). */
export function compareVersions(a, b) {
  const left = a.replace(/^v/, '').split('.').map(Number);
  const right = b.replace(/^v/, '').split('.').map(Number);
  for (let i = 0; i < 3; i += 1) {
    const difference = (left[i] || 0) - (right[i] || 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** One sentence when `found` is older than the range asks, else undefined. */
export function nodeVersionProblem(found, range, executable) {
  const needed = minimumOf(range);
  if (compareVersions(found, needed) >= 0) return undefined;
  return `persist needs Node ${needed} or newer and this is Node ${found.replace(/^v/, '')}${executable ? ` (${executable})` : ''}: run \`bash .ci/setup\` to install one, or put a newer Node first on PATH.`;
}

/** Says the sentence and exits 2 on a Node older than the range asks; returns on one new enough. */
export function exitIfTooOld() {
  const tooOld = nodeVersionProblem(process.versions.node, enginesRange(), process.execPath);
  if (tooOld) {
    process.stderr.write(`${tooOld}\n`);
    process.exit(2);
  }
}

// Run as a script (`node bin/node-check.js`, before an npm script's own command): the same
// sentence and exit 2 for `npm test` and `npm run bench:…` on an older Node.
if (process.argv[1] && new URL(import.meta.url).pathname === realpathSync(process.argv[1])) exitIfTooOld();
