// The user's settings for persist, in a top-level `x-persist` block of their Compose project
// (Compose keeps top-level `x-` fields in `docker compose config`, and drops service-level ones).
// An overlay file (`-f compose.yaml -f compose.persist.yaml`) can carry it, so the user's own
// file stays untouched. A mistake here is one sentence naming the key.
import type { ErrorObject, ValidateFunction } from 'ajv';
import { cachedValidator } from '../validator-cache.ts';
import type { ServiceSettings, XPersistSettings } from './x-persist-schema.ts';
import { HarnessError, UsageError } from '../errors.ts';

export class XPersistError extends HarnessError {
  constructor(problem: string) {
    super(`${problem}.`, 'Fix the x-persist block (its keys are in docs/x-persist.md), then run persist again.');
  }
}

export type { ReadySetting, ServiceSettings, XPersistSettings } from './x-persist-schema.ts';

/** Compiled on first use, from the published schema (x-persist.schema.json). */
let validator: ValidateFunction<XPersistSettings> | undefined;
function validate(block: unknown): block is XPersistSettings {
  validator ??= cachedValidator<XPersistSettings>(new URL('./x-persist.schema.json', import.meta.url), { allErrors: false, strict: false, verbose: true });
  return validator(block);
}

function sentence(error: ErrorObject): string {
  const where = ['x-persist', ...error.instancePath.split('/').filter(Boolean)].join('.');
  if (error.keyword === 'additionalProperties') {
    const key = (error.params as { additionalProperty: string }).additionalProperty;
    const known = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
    return `${where} has an unknown key \`${key}\` (known: ${known.join(', ')})`;
  }
  if (error.keyword === 'anyOf')
    return error.instancePath.includes('/verify/')
      ? `${where} must be { sql, min | max | equals } or { file }`
      : `${where} must be a command, { log: PATTERN } or { healthcheck: true }`;
  if (error.keyword === 'pattern') return `${where} must be an absolute path in the container, not ${JSON.stringify(error.data)}`;
  return `${where} ${error.message ?? 'is invalid'}`;
}

/** The block as given (absent: no settings), checked against the project's services. */
export function parseXPersist(block: unknown, serviceNames: readonly string[]): XPersistSettings {
  if (block === undefined || block === null) return {};
  if (!validate(block)) {
    const errors = validator?.errors ?? [];
    // A union's branches each fail in their own way; the union's own error says what it takes.
    throw new XPersistError(sentence(errors.find((error) => error.keyword === 'anyOf') ?? (errors[0] as ErrorObject)));
  }
  for (const name of Object.keys(block.services ?? {})) {
    if (!serviceNames.includes(name)) {
      throw new XPersistError(`x-persist.services.${name} names no service of this project (its services: ${serviceNames.join(', ') || 'none'})`);
    }
  }
  for (const [name, settings] of Object.entries(block.services ?? {})) {
    // One without the other proves nothing: a seed nobody reads, or a reading of nothing known.
    if ((settings.seed === undefined) !== (settings.fingerprint === undefined))
      throw new XPersistError(`x-persist.services.${name} needs both \`seed\` and \`fingerprint\` (it has only \`${settings.seed ? 'seed' : 'fingerprint'}\`)`);
    if ((settings.backup === undefined) !== (settings.restore === undefined))
      throw new XPersistError(`x-persist.services.${name} needs both \`backup\` and \`restore\` (it has only \`${settings.backup ? 'backup' : 'restore'}\`)`);
  }
  return block;
}

/** PERSIST_UPGRADE_<SERVICE>: the service's name in capitals, anything not a letter or digit as `_`. */
export function upgradeVariable(service: string): string {
  return `PERSIST_UPGRADE_${service.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** The image a service is about to be upgraded to: the environment's (a CI job's choice) over x-persist's. */
export function upgradeImageOf(service: string, settings: ServiceSettings | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const variable = upgradeVariable(service);
  const chosen = env[variable];
  // `persist run` reads PERSIST_UPGRADE_<PAIR>=OLD,NEW: the same name can reach a check by accident.
  if (chosen?.includes(','))
    throw new UsageError(
      `${variable} is "${chosen}", and for \`persist check\` it names the one image service ${service} is upgraded to.`,
      `Set ${variable}=IMAGE (the OLD,NEW form is \`persist run\`'s upgrade pairs), or unset it.`,
    );
  return chosen !== undefined && chosen !== '' ? chosen : settings?.upgrade?.image;
}
