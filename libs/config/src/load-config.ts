import { z } from 'zod';

/** A configuration problem found at start-up; its message names every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly { variable: string; reason: string }[]) {
    super(
      'invalid configuration:\n' + problems.map((problem) => `  ${problem.variable}: ${problem.reason}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/**
 * Validates environment variables against a zod object schema whose keys are the variable
 * names, once, at start-up. Empty strings count as unset, as shells and compose files
 * commonly produce them.
 */
export function loadConfig<Schema extends z.ZodObject>(
  schema: Schema,
  env: Record<string, string | undefined> = process.env,
): z.infer<Schema> {
  const present = Object.fromEntries(
    Object.keys(schema.shape).map((name) => [name, env[name] === '' ? undefined : env[name]]),
  );
  const result = schema.safeParse(present);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => ({ variable: issue.path.join('.') || '(environment)', reason: issue.message })),
  );
}
