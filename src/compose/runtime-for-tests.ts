// A service runtime for unit tests: nothing set unless a test sets it.
import type { ServiceRuntime } from './data-paths.ts';

export function runtimeWith(over: Partial<ServiceRuntime> = {}): ServiceRuntime {
  return {
    imageVolumes: [],
    imageEnv: {},
    imageWorkingDir: '/',
    imageEntrypoint: [],
    imageCmd: [],
    environment: {},
    command: null,
    entrypoint: null,
    workingDir: null,
    ...over,
  };
}
