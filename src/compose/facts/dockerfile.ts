// The facts of an image the project builds, read from its Dockerfile with a real parser: the
// target stage (the last by default), its base image's facts (found by the same order as any
// image's), and the stage's own VOLUME, ENV, WORKDIR, USER, ENTRYPOINT and CMD on top, with
// build arguments from the service. Nothing is built: RUN and COPY cannot change these facts.
import type { Instruction } from 'dockerfile-ast';
import { posix } from 'node:path';
import { emptyImageFacts, type ImageFacts } from '../../docker/engine.ts';

/** What a stage's base gave: its facts, or undefined where they could not be read, and a word on where they came from. */
export interface BaseFacts {
  facts: ImageFacts | undefined;
  from: string;
}

export interface DockerfileRead {
  facts: ImageFacts;
  /** "app/Dockerfile (stage runtime), on node:22 (local-image)". */
  from: string;
  /** The base images the target stage stands on, outermost first, with where each one's facts came from. */
  bases: BaseFacts[];
}

/** `$NAME`, `${NAME}`, `${NAME:-default}` and `${NAME:+alt}` replaced as the builder replaces them. */
export function substitute(text: string, vars: Readonly<Record<string, string | undefined>>): string {
  return text.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?([-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_, braced, op, word, bare) => {
    const value = vars[braced ?? bare];
    if (op === '-') return value ? value : (word ?? '');
    if (op === '+') return value ? (word ?? '') : '';
    return value ?? '';
  });
}

/** An instruction's exec-form JSON array, or its shell form as `/bin/sh -c "…"`. */
function commandOf(instruction: Instruction, vars: Readonly<Record<string, string>>, shell: readonly string[]): string[] {
  const content = instruction.getArgumentsContent() ?? '';
  if (content.trim().startsWith('[')) {
    try {
      return (JSON.parse(content) as string[]).map(String);
    } catch {
      // Not valid JSON: the builder then runs it in shell form too.
    }
  }
  return content.trim() ? [...shell, substitute(content.trim(), vars)] : [];
}

function volumesOf(instruction: Instruction, vars: Readonly<Record<string, string>>): string[] {
  const content = (instruction.getArgumentsContent() ?? '').trim();
  const listed = content.startsWith('[') ? safeJson(content) : undefined;
  const paths = listed ?? content.split(/\s+/).filter(Boolean);
  return paths
    .map((path) => substitute(path, vars))
    .filter(Boolean)
    .map((path) => posix.normalize(path).replace(/(.)\/$/, '$1'));
}

function safeJson(content: string): string[] | undefined {
  try {
    const value = JSON.parse(content) as unknown;
    return Array.isArray(value) ? value.map(String) : undefined;
  } catch {
    return undefined;
  }
}

interface Stage {
  name: string | undefined;
  image: string;
  instructions: Instruction[];
}

/** The stages of a Dockerfile with the global ARGs before the first FROM. */
async function stagesOf(text: string): Promise<{ globalArgs: Record<string, string | undefined>; stages: Stage[] }> {
  // Loaded only for a project that builds: the audit of one that does not never needs the parser.
  const { DockerfileParser } = await import('dockerfile-ast');
  const parsed = DockerfileParser.parse(text);
  const globalArgs: Record<string, string | undefined> = {};
  const stages: Stage[] = [];
  for (const instruction of parsed.getInstructions()) {
    const keyword = instruction.getKeyword();
    if (keyword === 'FROM') {
      const args = instruction
        .getArguments()
        .map((arg) => arg.getValue())
        .filter((arg) => !arg.startsWith('--'));
      const asAt = args.findIndex((arg) => arg.toUpperCase() === 'AS');
      stages.push({ image: args[0] ?? 'scratch', name: asAt >= 0 ? args[asAt + 1]?.toLowerCase() : undefined, instructions: [] });
    } else if (stages.length === 0 && keyword === 'ARG') {
      for (const [name, value] of argPairs(instruction)) globalArgs[name] = value;
    } else {
      stages[stages.length - 1]?.instructions.push(instruction);
    }
  }
  return { globalArgs, stages };
}

function argPairs(instruction: Instruction): Array<[string, string | undefined]> {
  return instruction.getArguments().map((arg) => {
    const text = arg.getValue();
    const equals = text.indexOf('=');
    return equals < 0 ? [text, undefined] : [text.slice(0, equals), text.slice(equals + 1).replace(/^"(.*)"$/, '$1')];
  });
}

function envPairs(instruction: Instruction): Array<[string, string]> {
  const properties = (instruction as unknown as { getProperties(): Array<{ getName(): string; getValue(): string | null }> }).getProperties();
  return properties.map((property) => [property.getName(), property.getValue() ?? '']);
}

export interface BuildSettings {
  /** The stage to build (`build.target`); the last stage when absent. */
  target?: string;
  /** `build.args`, which override the Dockerfile's ARG defaults. */
  args: Readonly<Record<string, string | null>>;
  /** What the Dockerfile is called in the report. */
  name: string;
}

/**
 * The image a Dockerfile would build, its base's facts asked for through `baseOf`. A base that is
 * a stage of the same file is followed in the file; `scratch` has nothing.
 */
export async function readDockerfile(text: string, build: BuildSettings, baseOf: (image: string) => Promise<BaseFacts>): Promise<DockerfileRead> {
  const { globalArgs, stages } = await stagesOf(text);
  if (stages.length === 0) throw new Error(`${build.name} has no FROM instruction`);
  const given = Object.fromEntries(Object.entries(build.args).filter((entry): entry is [string, string] => entry[1] !== null));
  const globals: Record<string, string> = {};
  for (const [name, value] of Object.entries(globalArgs)) {
    const chosen = given[name] ?? value;
    if (chosen !== undefined) globals[name] = chosen;
  }
  const bases: BaseFacts[] = [];
  const stageFacts = async (stage: Stage, depth: number): Promise<ImageFacts> => {
    const image = substitute(stage.image, globals);
    const earlier = stages.find((other) => other.name !== undefined && other.name === image.toLowerCase() && other !== stage);
    let facts: ImageFacts;
    if (earlier && depth < stages.length) facts = await stageFacts(earlier, depth + 1);
    else if (image === 'scratch') facts = emptyImageFacts();
    else {
      const base = await baseOf(image);
      bases.push({ ...base, from: `${image} (${base.from})` });
      facts = base.facts ?? emptyImageFacts();
    }
    return applyInstructions(stage, facts, globalArgs, given);
  };
  const target = build.target ? stages.find((stage) => stage.name === build.target?.toLowerCase()) : stages[stages.length - 1];
  if (!target) throw new Error(`${build.name} has no stage named ${build.target}`);
  const facts = await stageFacts(target, 0);
  const stageName = target.name ? ` (stage ${target.name})` : '';
  return { facts, from: `${build.name}${stageName}${bases.length > 0 ? `, on ${bases.map((base) => base.from).join(', ')}` : ''}`, bases };
}

/** The stage's own instructions over its base's facts: ENV and ARG values substitute into later ones, as the builder does. */
function applyInstructions(stage: Stage, base: ImageFacts, globalArgs: Record<string, string | undefined>, given: Record<string, string>): ImageFacts {
  const env = { ...base.env };
  const args: Record<string, string> = {};
  let { workingDir, entrypoint, cmd, user } = base;
  let volumes = [...base.volumes];
  const labels = { ...base.labels };
  let shell = ['/bin/sh', '-c'];
  const vars = () => ({ ...args, ...env });
  for (const instruction of stage.instructions) {
    switch (instruction.getKeyword()) {
      case 'ARG':
        for (const [name, value] of argPairs(instruction)) {
          // A global ARG redeclared without a value takes the global's value into the stage.
          const chosen = given[name] ?? (value !== undefined ? substitute(value, vars()) : globalArgs[name]);
          if (chosen !== undefined) args[name] = chosen;
        }
        break;
      case 'ENV':
        for (const [name, value] of envPairs(instruction)) env[name] = substitute(value, vars());
        break;
      case 'WORKDIR':
        workingDir = posix.resolve(workingDir, substitute((instruction.getArgumentsContent() ?? '').trim(), vars()));
        break;
      case 'VOLUME':
        volumes = [...new Set([...volumes, ...volumesOf(instruction, vars())])].sort();
        break;
      case 'SHELL':
        shell = safeJson((instruction.getArgumentsContent() ?? '').trim()) ?? shell;
        break;
      case 'ENTRYPOINT':
        entrypoint = commandOf(instruction, vars(), shell);
        // The builder drops an inherited CMD when ENTRYPOINT is set.
        cmd = [];
        break;
      case 'CMD':
        cmd = commandOf(instruction, vars(), shell);
        break;
      case 'USER':
        user = substitute((instruction.getArgumentsContent() ?? '').trim(), vars());
        break;
      case 'LABEL':
        for (const [name, value] of envPairs(instruction)) labels[name] = value;
        break;
    }
  }
  return { ...base, labels, env, workingDir, volumes, entrypoint, cmd, user, defaultCommand: [...entrypoint, ...cmd] };
}
