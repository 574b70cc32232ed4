// The user's settings for persist, in a top-level `x-persist` block of their Compose project
// (Compose keeps top-level `x-` fields in `docker compose config`, and drops service-level ones).
// An overlay file (`-f compose.yaml -f compose.persist.yaml`) can carry it, so the user's own
// file stays untouched. A mistake here is one sentence naming the key.
import { Ajv, type ErrorObject } from 'ajv';
import Type, { type Static } from 'typebox';
import { HarnessError } from '../errors.ts';

const AbsolutePath = Type.String({ pattern: '^/' });

const ServiceSettings = Type.Object(
  {
    data: Type.Optional(Type.Array(AbsolutePath, { description: 'Paths in the container where this service keeps data the harness does not know of.' })),
    ephemeral: Type.Optional(
      Type.Array(AbsolutePath, { description: 'Paths whose loss is intended (a cache on tmpfs): a loss below them is a note, not an error.' }),
    ),
    upgrade: Type.Optional(
      Type.Object({ image: Type.String({ minLength: 1, description: 'The image this service is about to be upgraded to.' }) }, { additionalProperties: false }),
    ),
  },
  { additionalProperties: false },
);

export const XPersist = Type.Object({ services: Type.Optional(Type.Record(Type.String(), ServiceSettings)) }, { additionalProperties: false });

export type XPersistSettings = Static<typeof XPersist>;
export type ServiceSettings = Static<typeof ServiceSettings>;

export class XPersistError extends HarnessError {
  constructor(problem: string) {
    super(`${problem}.`, 'Fix the x-persist block (its keys are in docs/x-persist.md), then audit again.');
  }
}

const validate = new Ajv({ allErrors: false, strict: false, verbose: true }).compile<XPersistSettings>(XPersist);

function sentence(error: ErrorObject): string {
  const where = ['x-persist', ...error.instancePath.split('/').filter(Boolean)].join('.');
  if (error.keyword === 'additionalProperties') {
    const key = (error.params as { additionalProperty: string }).additionalProperty;
    const known = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
    return `${where} has an unknown key \`${key}\` (known: ${known.join(', ')})`;
  }
  if (error.keyword === 'pattern') return `${where} must be an absolute path in the container, not ${JSON.stringify(error.data)}`;
  return `${where} ${error.message ?? 'is invalid'}`;
}

/** The block as given (absent: no settings), checked against the project's services. */
export function parseXPersist(block: unknown, serviceNames: readonly string[]): XPersistSettings {
  if (block === undefined || block === null) return {};
  if (!validate(block)) throw new XPersistError(sentence(validate.errors?.[0] as ErrorObject));
  for (const name of Object.keys(block.services ?? {})) {
    if (!serviceNames.includes(name)) {
      throw new XPersistError(`x-persist.services.${name} names no service of this project (its services: ${serviceNames.join(', ') || 'none'})`);
    }
  }
  return block;
}
