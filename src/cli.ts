// The `persist` command. Every failure ends here as one line and an exit code:
// 0 all passed, 1 a verdict failed (data not as expected), 2 the harness could not run.
// Each command's module is imported when it runs: loading the engine client and vitest takes
// seconds, and a mistake in the arguments must be answered at once.
import { Command, CommanderError, Option } from 'commander';
import type { ReportOptions } from './commands/report.ts';
import type { VerifyCommandOptions } from './commands/verify.ts';
import type { ComposeOptions } from './compose/compose-cli.ts';
import { disableReaperUnlessChosen, IMAGE_SETS } from './config.ts';
import { describeError, HarnessError } from './errors.ts';
import { prepareOutDir } from './report/out-dir.ts';
import { SCENARIOS } from './scenarios.ts';
import { parseShard } from './shard/shard-plan.ts';
import { toolVersion } from './version.ts';

const print = (line: string) => process.stdout.write(`${line}\n`);
const imagesOption = () => new Option('--images <set>', 'official images, or the local stand-ins').choices(IMAGE_SETS);

function program(): Command {
  const cli = new Command('persist')
    .description('Proves that containerised data survives: real containers, real disruptions, reports with evidence.')
    .version(toolVersion().version)
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });

  addRunCommand(cli);
  addProjectCommands(cli);

  addVerifyCommand(cli);

  cli
    .command('list')
    .description('list the scenarios')
    .action(() => {
      for (const s of SCENARIOS) print(`${s.name.padEnd(12)} ${s.summary}`);
    });

  cli
    .command('images')
    .description('stand-in images for machines without a registry')
    .command('build')
    .description('build the stand-in images under persistence-harness/ (only what is missing or changed)')
    .option('--force', 'rebuild even when up to date', false)
    .action(async (options: { force: boolean }) => {
      const [{ buildStandIns }, { progress }] = await Promise.all([import('./images/build.ts'), import('./progress.ts')]);
      await buildStandIns({ force: options.force, log: progress });
      process.exitCode = 0;
    });

  cli
    .command('doctor')
    .description('check the engine and images, with the fix for each problem')
    .addOption(imagesOption())
    .action(async (options: { images?: string }) => {
      const { doctorCommand } = await import('./commands/doctor.ts');
      process.exitCode = await doctorCommand(options, print);
    });

  cli
    .command('report')
    .description('render a stored report.json again (md, html, junit or json), compare two runs, or merge the shards of one')
    .argument('<files...>', 'a report.json, e.g. reports/latest/report.json; with --compare, the baseline and then the run')
    .option('--format <format>', 'md, html, junit, json or sarif (sarif: an audit or check report)', 'md')
    .option('--out <file>', 'write to this file instead of standard output')
    .option('--compare', 'compare the second report with the first: changed verdicts, slower recoveries')
    .option('--regression-percent <n>', 'a regression is slower by more than this percent (default 20)…')
    .option('--regression-ms <n>', '…and by more than this many ms (default 100)')
    .option('--fail-on-regression', 'exit 1 when a recovery regressed')
    .option('--merge', 'merge the reports of `persist run --shard K/N` into one, written in every format to --out (a folder); exits with its verdict')
    .action(async (files: string[], options: ReportOptions) => {
      if (options.merge && options.out !== undefined) options.out = await prepareOutDir(options.out);
      const { reportCommand } = await import('./commands/report.ts');
      process.exitCode = await reportCommand(files, options, print);
    });

  cli
    .command('clean')
    .description('remove containers, volumes, networks and folders left by earlier runs (by run label only)')
    .option('--run <id>', 'only this run')
    .action(async (options: { run?: string }) => {
      const { cleanCommand } = await import('./commands/clean.ts');
      process.exitCode = await cleanCommand(options, print);
    });

  return cli;
}

/** `persist run`: the scenarios, their verdicts and timings. */
function addRunCommand(cli: Command): void {
  cli
    .command('run')
    .description('run scenarios (all, or those named) and write reports/<runId>/report.{json,md}')
    .argument('[scenarios...]', `scenario names: ${SCENARIOS.map((s) => s.name).join(', ')}`)
    .addOption(imagesOption())
    .option('--full', 'the full measurement: 3 trials per cell (recovery times as medians), one scenario file at a time, the benchmarks at full size')
    .option('--trials <n>', 'trials per cell (default 1: every verdict; 3 with --full)')
    .option('--size <quick|full>', 'benchmark size of the performance scenario (default quick; full with --full)')
    .option(
      '--files-at-once <n>',
      'scenario files driving the engine at once (default 2; 1 with --full, so no timing includes another file; the benchmarks always alone)',
    )
    .option('--out <dir>', 'report folder (default reports/<runId>, copied to reports/latest)')
    .option('--procedure <file>', 'your backup procedure file, proven by the backup scenario (see docs/backup-procedure.md)')
    .option('--edits <n>', 'edits per trial of the devloop scenario (default 5)')
    .option('--baseline <report.json>', 'compare with an earlier run: changed verdicts and recovery regressions, in every format')
    .option('--regression-percent <n>', 'a regression is a median recovery slower by more than this percent (default 20)…')
    .option('--regression-ms <n>', '…and by more than this many ms (default 100)')
    .option('--fail-on-regression', 'a regression fails the run (exit 1); otherwise it is only reported')
    .option('--shard <K/N>', 'run part K of N of the cells (one CI job each; with --baseline, balanced by its durations); merge with `persist report --merge`')
    .action(async (filters: string[], options: { out?: string; shard?: string }) => {
      // Before anything starts: a bad shard or a run whose report cannot be written would waste its minutes.
      if (options.shard !== undefined) parseShard(options.shard);
      const out = options.out === undefined ? undefined : await prepareOutDir(options.out);
      const { runCommand } = await import('./commands/run.ts');
      process.exitCode = await runCommand(filters, { ...options, ...(out ? { out } : {}) });
    });
}

const collect = (value: string, previous: string[]) => [...previous, value];

interface ProjectCliOptions {
  file: string[];
  projectName?: string;
  profile: string[];
  envFile: string[];
  projectDirectory?: string;
  out?: string;
  services?: string;
  disruptions?: string;
  offline?: boolean;
  pull?: boolean;
  build?: boolean;
  format?: string;
}

type ProjectCommand = (
  options: ComposeOptions & { out?: string; services?: string[]; disruptions?: string[]; offline?: boolean; pull?: boolean; build?: boolean; format?: string },
  print: (line: string) => void,
) => Promise<number>;

/** A command on the user's Compose project, with the project options spelled as Compose spells them. */
function commaList(text: string): string[] {
  return text
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
}

function addProjectCommand(cli: Command, name: string, description: string, load: () => Promise<ProjectCommand>, extra?: (command: Command) => Command): void {
  const command = cli.command(name);
  (extra ? extra(command) : command)
    .description(description)
    .option('-f, --file <file>', 'Compose file (repeatable: an overlay such as compose.persist.yaml can carry x-persist)', collect, [])
    .option('-p, --project-name <name>', 'project name')
    .option('--profile <profile>', 'enable a profile (repeatable)', collect, [])
    .option('--env-file <file>', 'an alternate environment file (repeatable)', collect, [])
    .option('--project-directory <dir>', 'an alternate working directory')
    .option('--out <dir>', 'report folder (default reports/<runId>, copied to reports/latest)')
    .option('--offline', 'read images only on this machine, from Dockerfiles and the catalogue: ask no registry')
    .action(async (options: ProjectCliOptions) => {
      const out = options.out === undefined ? undefined : await prepareOutDir(options.out);
      const command = await load();
      process.exitCode = await command(
        {
          files: options.file,
          profiles: options.profile,
          envFiles: options.envFile,
          ...(options.projectName ? { projectName: options.projectName } : {}),
          ...(options.projectDirectory ? { projectDirectory: options.projectDirectory } : {}),
          ...(out ? { out } : {}),
          ...(options.offline ? { offline: true } : {}),
          ...(options.pull ? { pull: true } : {}),
          ...(options.build ? { build: true } : {}),
          ...(options.format ? { format: options.format } : {}),
          ...(options.services ? { services: commaList(options.services) } : {}),
          ...(options.disruptions !== undefined ? { disruptions: commaList(options.disruptions) } : {}),
        },
        print,
      );
    });
}

/** `persist audit` and `persist check`: the user's own Compose project. */
function addProjectCommands(cli: Command): void {
  addProjectCommand(
    cli,
    'audit',
    'read your Compose project on paper: where each service keeps its data, and what would lose it (starts nothing)',
    async () => (await import('./commands/audit.ts')).auditCommand,
    (command) =>
      command.option(
        '--format <format>',
        'what to print: terminal (tables) or sarif (the SARIF document, for code scanning; the verdict line goes to stderr)',
        'terminal',
      ),
  );
  addProjectCommand(
    cli,
    'check',
    'run a copy of your Compose project through restart, force-recreate, down + up and down -v, and show what survived',
    async () => (await import('./commands/check.ts')).checkCommand,
    (command) =>
      command
        .option('--services <list>', 'check only these services (comma-separated) and what they depend on')
        .option(
          '--disruptions <list>',
          "run only these disruptions (comma-separated, in the check's order); power-cut (a cut of the named volumes' disks under write load) runs only when named",
        )
        .option('--pull', 'pull the images of the checked services that are not on this machine first (docker compose pull)')
        .option('--build', 'build the images of the checked services that build and are not built yet (docker compose build)'),
  );
}

/** The verify command's options, with the Compose project's spelled as Compose spells them. */
type VerifyCliOptions = Omit<VerifyCommandOptions, 'compose' | 'app' | 'fetch' | 'at'> & {
  app: string[];
  at: string[];
  pull?: boolean;
  build?: boolean;
  file: string[];
  service?: string;
  projectName?: string;
  profile: string[];
  envFile: string[];
  projectDirectory?: string;
};

/** `persist verify`: a backup the team already has, restored and checked. */
function addVerifyCommand(cli: Command): void {
  cli
    .command('verify')
    .description("restore a backup file (or folder) into a throwaway container of its service's image, check what came back, and prove a damaged copy fails")
    .option('--from <path>', 'the backup artifact: a pg_dump archive or SQL dump (also .gz/.zst), a mysqldump…; only ever read')
    .option('--archive <dir>', 'with a pg_basebackup in --from: the WAL archive beside it (as archive_command writes it), replayed to its end; only ever read')
    .option('--at <time>', 'with --archive: restore to this point in time (RFC 3339, or back from now: -2h), repeatable', collect, [])
    .option('--points <n>', 'with --archive and no --at: how many points inside the window to restore to, besides its start and end (default 1)')
    .option('--format <format>', 'its format, where it cannot be told from the file (see docs/verify.md)')
    .option('--image <image>', "the image to restore into (default: the service's in -f/--service, else the official image of what the backup is)")
    .option('--env <KEY=VALUE>', 'environment for that container, as docker run -e (repeatable)', collect, [])
    .option('--expect <file>', "what the restore must hold (YAML, the keys of x-persist `verify`); replaces x-persist's")
    .option('--data-path <path>', "a volume's tar: where in the container the service keeps that data (default: its one mount, or its image's one VOLUME)")
    .option('--baseline <report.json>', 'an earlier verify report of this backup: tables that lost rows, and a slower recovery, are findings')
    .option('--drop-percent <n>', "with --baseline: a table's rows may fall by at most this percent (default 20)")
    .option('--regression-percent <n>', 'with --baseline: a recovery slower by more than this percent (default 20)…')
    .option('--regression-ms <n>', '…and by more than this many ms (default 100) is a finding')
    .option(
      '--restore <command>',
      'your own restore (pgBackRest, WAL-G, xtrabackup…): run with sh -c, it fills the empty volume $PERSIST_VOLUME from $PERSIST_ARTIFACT',
    )
    .addOption(imagesOption())
    .option('-f, --file <file>', 'the Compose file of the service the backup is of (repeatable)', collect, [])
    .option('--service <name>', 'that service: its image, environment and x-persist `verify` expectations are used')
    .option(
      '--app <services>',
      "the project's services that use that database (comma-separated, repeatable): each started as configured on the restored data must come up",
      collect,
      [],
    )
    .option('--pull', "with --app: pull an app service's image that is not on this machine first (docker compose pull)")
    .option('--build', "with --app: build an app service's image that builds and is not built yet (docker compose build)")
    .option('-p, --project-name <name>', 'project name')
    .option('--profile <profile>', 'enable a profile (repeatable)', collect, [])
    .option('--env-file <file>', 'an alternate environment file (repeatable)', collect, [])
    .option('--project-directory <dir>', 'an alternate working directory')
    .option('--out <dir>', 'report folder (default reports/<runId>, copied to reports/latest), with last-verified.json')
    .action(async (options: VerifyCliOptions) => {
      const out = options.out === undefined ? undefined : await prepareOutDir(options.out);
      const { verifyCommand } = await import('./commands/verify.ts');
      process.exitCode = await verifyCommand(
        {
          env: options.env,
          ...(options.from ? { from: options.from } : {}),
          ...(options.format ? { format: options.format } : {}),
          ...(options.image ? { image: options.image } : {}),
          ...(options.expect ? { expect: options.expect } : {}),
          ...(options.dataPath ? { dataPath: options.dataPath } : {}),
          ...(options.restore ? { restore: options.restore } : {}),
          ...(options.archive ? { archive: options.archive } : {}),
          ...(options.at.length > 0 ? { at: options.at } : {}),
          ...(options.points ? { points: options.points } : {}),
          ...(options.baseline ? { baseline: options.baseline } : {}),
          ...(options.dropPercent ? { dropPercent: options.dropPercent } : {}),
          ...(options.regressionPercent ? { regressionPercent: options.regressionPercent } : {}),
          ...(options.regressionMs ? { regressionMs: options.regressionMs } : {}),
          ...(options.app.length > 0
            ? {
                app: options.app
                  .flatMap((names) => names.split(','))
                  .map((name) => name.trim())
                  .filter(Boolean),
              }
            : {}),
          ...(options.images ? { images: options.images } : {}),
          ...(out ? { out } : {}),
          ...(options.pull || options.build ? { fetch: { pull: options.pull === true, build: options.build === true } } : {}),
          ...(options.file.length > 0
            ? {
                compose: {
                  files: options.file,
                  profiles: options.profile,
                  envFiles: options.envFile,
                  ...(options.service ? { service: options.service } : {}),
                  ...(options.projectName ? { projectName: options.projectName } : {}),
                  ...(options.projectDirectory ? { projectDirectory: options.projectDirectory } : {}),
                },
              }
            : {}),
        },
        print,
      );
    });
}

async function main(argv: string[]): Promise<number> {
  // Every command that starts a container through testcontainers (doctor's port check too).
  disableReaperUnlessChosen();
  try {
    await program().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    process.stderr.write(`persist: ${error instanceof HarnessError ? error.oneLine() : describeError(error)}\n`);
    return 2;
  }
}

// Open sockets to the engine would keep the process alive after the work is done.
process.exit(await main(process.argv));
