// How the check logs in to a database the user configured: the credentials their own service
// was given, read from its environment as the official image reads them (each service's profile
// says how). None when the service's settings give the check no way in (a password only in a
// secret file): the check then proves the data with files alone and says why.
import type { LoginOutcome, ServiceEnvironment } from '../services/profile.ts';
import { profileOf } from '../services/registry.ts';

export { CHECK_DATABASE, type LoginOutcome } from '../services/profile.ts';

/** The login for a service the registry recognises, from its resolved settings; undefined where its profile gives no way to log in. */
export function databaseLogin(recognisedAs: string, env: ServiceEnvironment, command: readonly string[] | null): LoginOutcome | undefined {
  return profileOf(recognisedAs)?.capabilities.login?.(env, command);
}
