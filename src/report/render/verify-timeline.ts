// The recovery window as a time line for the HTML report: the span the archive can replay from
// the base backup's end to its last commit, the first gap marked with what lies beyond it, and a
// tick for each point restored to (an unreachable one past the gap, red).
import type { Verify } from '../model.ts';

const WIDTH = 720;
const LEFT = 10;
const BAR_Y = 28;
const BAR_H = 16;

type Target = NonNullable<Verify['targets']>[number];

function tickAt(target: Target, x: (ms: number) => number, reachableRight: number, gapRight: number): number {
  const ms = Date.parse(target.at);
  if (target.kind === 'unreachable' && ms > 0 && x(ms) > reachableRight) return (reachableRight + gapRight + WIDTH - LEFT) / 3;
  return Math.max(LEFT, Math.min(reachableRight, x(ms)));
}

/** The SVG, or nothing where the window has no dated start and end. */
export function windowTimeline(window: Verify['window'], targets: Verify['targets'], esc: (text: string) => string): string {
  if (!window?.start || !window.end) return '';
  const startMs = Date.parse(window.start);
  const endMs = Math.max(Date.parse(window.end), startMs + 1);
  const gap = window.gaps[0];
  const reachableRight = gap ? WIDTH * 0.68 : WIDTH - LEFT;
  const gapRight = reachableRight + 14;
  const x = (ms: number) => LEFT + ((ms - startMs) / (endMs - startMs)) * (reachableRight - LEFT);
  const parts = [
    `<rect class="reachable" x="${LEFT}" y="${BAR_Y}" width="${reachableRight - LEFT}" height="${BAR_H}"><title>${esc(`replayable: ${window.start} to ${window.end}, ${window.commits} commit(s)`)}</title></rect>`,
    `<text x="${LEFT}" y="${BAR_Y + BAR_H + 14}">${esc(window.start)}</text>`,
    `<text x="${reachableRight}" y="${BAR_Y + BAR_H + 14}" text-anchor="end">${esc(window.end)}</text>`,
  ];
  if (gap)
    parts.push(
      `<rect class="gap" x="${reachableRight}" y="${BAR_Y - 4}" width="${gapRight - reachableRight}" height="${BAR_H + 8}"><title>${esc(`${gap.missing} missing`)}</title></rect>`,
      `<rect class="unreachable" x="${gapRight}" y="${BAR_Y}" width="${WIDTH - LEFT - gapRight}" height="${BAR_H}"><title>${esc(`${gap.unreachableCommits} commit(s) from ${gap.resumesAt} on: unreachable`)}</title></rect>`,
      `<text x="${gapRight + 4}" y="${BAR_Y + BAR_H + 14}">${esc(`${gap.missing} missing: ${gap.unreachableCommits} commit(s) beyond it unreachable`)}</text>`,
    );
  for (const target of targets ?? []) {
    const at = tickAt(target, x, reachableRight, gapRight);
    const label = target.point && target.point !== 'asked' ? target.point : target.at;
    parts.push(
      `<line class="${target.kind === 'unreachable' ? 'tick unreached' : 'tick'}" x1="${at.toFixed(1)}" x2="${at.toFixed(1)}" y1="${BAR_Y - 8}" y2="${BAR_Y + BAR_H + 2}"><title>${esc(`${target.at}: ${target.note}`)}</title></line>`,
      `<text x="${at.toFixed(1)}" y="${BAR_Y - 11}" text-anchor="middle">${esc(label)}</text>`,
    );
  }
  return `<svg class="timeline" viewBox="0 0 ${WIDTH} 70" width="${WIDTH}" height="70" role="img" aria-label="${esc('the recovery window')}">${parts.join('')}</svg>`;
}
