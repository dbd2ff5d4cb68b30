/**
 * Reading settings from the environment, shared by the gateway's configuration and the
 * parts that read their own (mail, data-subject deadlines): one error type, so `main.ts`
 * answers every bad setting the same way, and one reading of a whole number.
 */
export class ConfigError extends Error {}

export function positiveInteger(name: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new ConfigError(`${name} must be a positive whole number, got "${raw}"`);
  return value;
}

/** The variable `name` as a positive whole number, or `fallback` when it is unset or empty. */
export function positiveIntegerOr(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  return raw ? positiveInteger(name, raw) : fallback;
}
