import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exitCodeFor, type VerifyReport } from '../model.ts';
import { reportProblems } from '../validate.ts';
import { renderHtml } from './html.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';

const recorded = JSON.parse(readFileSync(new URL('../fixtures/verify-report.json', import.meta.url), 'utf8')) as VerifyReport;
const verify = recorded.verify!;

describe('a verify report', () => {
  it('matches the schema; verified is 0, a failed check 1, a check unable to fail 2', () => {
    expect(reportProblems(recorded)).toEqual([]);
    expect(exitCodeFor(recorded)).toBe(0);
    expect(exitCodeFor({ ...recorded, verify: { ...verify, verdict: 'failed' } })).toBe(1);
    expect(exitCodeFor({ ...recorded, verify: { ...verify, verdict: 'unable-to-fail' } })).toBe(2);
    expect(exitCodeFor({ ...recorded, verify: null, harnessErrors: ['backups/x is not a backup of a format persist knows.'] })).toBe(2);
  });

  it("a file or a row stamped by a clock ahead of this machine's: said as such, never a negative age, and the schema holds", () => {
    const ahead: VerifyReport = {
      ...recorded,
      verify: { ...verify, artifact: { ...verify.artifact, ageMs: -3_000 }, dataAge: verify.dataAge && { ...verify.dataAge, ageMs: -90_000 } },
    };
    expect(reportProblems(ahead)).toEqual([]);
    for (const text of [renderMarkdown(ahead), renderHtml(ahead)]) {
      expect(text).toContain("3s ahead of this machine's clock");
      expect(text).toContain("1m 30s ahead of this machine's clock");
      expect(text).not.toMatch(/-\d+s/);
    }
  });

  it('shows the recovery time, the data age and the damaged copy in Markdown and HTML', () => {
    for (const text of [renderMarkdown(recorded), renderHtml(recorded)]) {
      expect(text).toContain('VERIFIED');
      expect(text).toContain('recovery (start + restore + checks)');
      expect(text).toMatch(/newest row .* at most 1h 0m old|at most 1h old/);
      expect(text).toContain(verify.artifact.sha256);
      expect(text).toContain('The damaged copy (it must fail)');
    }
  });

  it('is two JUnit cases: the restore, and the damaged copy that must fail (an error when it passed)', () => {
    const xml = renderJunit(recorded);
    expect(xml).toContain('tests="2" failures="0" errors="0"');
    const unable = renderJunit({ ...recorded, verify: { ...verify, verdict: 'unable-to-fail', damaged: { how: 'cut', failed: false, reason: 'same rows' } } });
    expect(unable).toContain('type="UnableToFail"');
    const failed = renderJunit({
      ...recorded,
      verify: { ...verify, verdict: 'failed', problems: ['Expected select count(*) from orders ≥ 60000; observed 50000.'] },
    });
    expect(failed).toContain('<failure message="Expected select count(*) from orders ≥ 60000; observed 50000."');
  });
});

describe('a verify report with a WAL archive', () => {
  it('shows the window, and each gap with what lies beyond it, in Markdown and HTML; the schema holds', () => {
    const withArchive: VerifyReport = {
      ...recorded,
      verify: {
        ...verify,
        window: {
          archive: '/backups/wal',
          base: '000000010000000000000002',
          segments: 5,
          start: '2026-12-07T21:52:33.000Z',
          end: '2026-12-07T21:52:36.069Z',
          commits: 2,
          gaps: [
            { missing: '000000010000000000000007', lastReachable: '2026-12-07T21:52:36.069Z', resumesAt: '000000010000000000000008', unreachableCommits: 15 },
          ],
          readMs: 742,
        },
        targets: [
          {
            at: '2026-12-07T21:52:35.000Z',
            kind: 'time',
            rows: 150,
            newest: '2026-12-07 21:52:34.9+00',
            recoveryMs: 1670,
            note: 'its newest row is from 2026-12-07 21:52:34.9+00',
          },
          {
            at: '2026-12-07T21:52:36.069Z',
            point: 'end',
            kind: 'end',
            rows: 350,
            newest: '2026-12-07 21:52:36.0+00',
            replayedTo: '2026-12-07T21:52:36.069Z',
            expected: '2026-12-07T21:52:36.069Z',
            recoveryMs: 2400,
            replay: { bytes: 83_886_080, ms: 1_600, bytesPerSecond: 52_428_800 },
            note: "the archive's last commit: the restore above replayed the archive to its end",
          },
          {
            at: '2026-12-07T23:00:00.000Z',
            kind: 'unreachable',
            rows: null,
            newest: null,
            recoveryMs: null,
            note: '--at 2026-12-07T23:00:00.000Z cannot be reached',
          },
        ],
      },
    };
    expect(reportProblems(withArchive)).toEqual([]);
    for (const text of [renderMarkdown(withArchive), renderHtml(withArchive)]) {
      expect(text).toContain('The recovery window (/backups/wal, read in 742 ms; the restore replayed it up to its first gap)');
      expect(text).toContain('000000010000000000000007 MISSING');
      expect(text).toContain('15 unreachable');
      expect(text).toContain('The window proved: restores to its start, inside it and to its end');
      expect(text).toContain('UNREACHABLE');
      expect(text).toContain('80.0 MiB in 1.60 s (50.0 MiB/s)');
    }
    const html = renderHtml(withArchive);
    expect(html).toContain('<svg class="timeline"');
    expect(html).toContain('000000010000000000000007 missing: 15 commit(s) beyond it unreachable');
    expect(html.match(/<line class="tick/g)).toHaveLength(3);
    expect(html).toContain('<line class="tick unreached"');
    const archived = withArchive.verify!;
    const branched = { ...withArchive, verify: { ...archived, window: { ...archived.window!, timelines: [1, 2], gaps: [] } } };
    expect(reportProblems(branched)).toEqual([]);
    expect(renderMarkdown(branched)).toContain('the restore replayed it to its end, along timelines 1 → 2)');
  });
});
