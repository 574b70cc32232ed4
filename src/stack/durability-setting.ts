// Which of a server's known durability settings a service runs with, read from its command: what
// explains a loss after a power cut where persist knows the server. A setting given in a
// configuration file is not seen here, and is then not named.
import type { DurabilitySetting } from './database-target.ts';

/** Option names as the servers accept them: innodb_flush_log_at_trx_commit and innodb-flush-log-at-trx-commit alike. */
function normalise(tokens: readonly string[]): string {
  return ` ${tokens.map((token) => (token.startsWith('--') ? token.replaceAll('_', '-') : token)).join(' ')} `;
}

/**
 * The setting whose every start option appears in the command, or one of its other spellings
 * (the most specific when several do); the one without options (the image's own) where none
 * does; undefined where neither.
 */
export function settingInCommand(command: readonly string[] | null, settings: readonly DurabilitySetting[]): DurabilitySetting | undefined {
  const said = normalise(command ?? []);
  const matches = settings.flatMap((setting) =>
    [setting.serverArgs, ...(setting.sameAs ?? [])]
      .filter((options) => options.length > 0 && said.includes(normalise(options)))
      .map((options) => ({ setting, length: options.length })),
  );
  const best = matches.sort((a, b) => b.length - a.length)[0];
  return best?.setting ?? settings.find((setting) => setting.serverArgs.length === 0);
}
