// The phases every timed operation is measured in, from the stop of a service to the moment its
// data is read back: what the timers record and the report's schema names.
export const PHASES = ['stop', 'backup', 'restore', 'create', 'ready', 'verified'] as const;
export type Phase = (typeof PHASES)[number];
