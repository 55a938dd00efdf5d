/** Configuration, read once from the environment and validated, so a bad setting fails at start with a sentence. */
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod/v4';

const configSchema = z.object({
  HYBRIDOPS_DB: z.string().min(1).optional(),
  HYBRIDOPS_ACTOR: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'),
});

export interface Config {
  /** SQLite file holding runs, the step journal and the audit log. */
  readonly dbPath: string;
  /** Who is asking, as written in the audit log when the CLI is used. */
  readonly actor: string;
  readonly logLevel: string;
}

/** Typed error with a stable code for a setting that cannot be used. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
}

/** Parses the environment into a read-only Config; throws ConfigError naming the variable to fix. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? 'environment');
    throw new ConfigError(`Set ${variable} to a valid value: ${issue?.message ?? 'invalid'}.`);
  }
  const values = parsed.data;
  return Object.freeze({
    dbPath: values.HYBRIDOPS_DB ?? path.join(os.homedir(), '.hybridops', 'hybridops.db'),
    actor: values.HYBRIDOPS_ACTOR ?? safeUsername(),
    logLevel: values.LOG_LEVEL,
  });
}

function safeUsername(): string {
  try {
    return os.userInfo().username;
  } catch {
    // Containers without a passwd entry have no user name; the audit log still needs one.
    return `uid-${process.getuid?.() ?? 'unknown'}`;
  }
}
