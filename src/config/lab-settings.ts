/** What `npm run lab` reads from the environment beyond the bot's settings: where the lab lives and who is signed in. */
import path from 'node:path';
import { z } from 'zod/v4';
import { parseEnvironment } from './load-config';

const labSchema = z.object({
  HYBRIDOPS_LAB_DIR: z.string().min(1).optional(),
  HYBRIDOPS_LAB_USER: z.coerce.number().int().min(0).max(5).default(0),
  HYBRIDOPS_PLAYGROUND_PORT: z.coerce.number().int().min(0).max(65535).default(56150),
});

export interface LabSettings {
  /** The lab's folder: org.json, the bot's database, the relay key, the playground's configuration and log. */
  readonly dir: string;
  /** Who the playground signs in as, an index into the lab's people (0 to 5). */
  readonly user: number;
  readonly playgroundPort: number;
}

/** Parses the lab entry's settings; throws CONFIG_INVALID naming the variable to fix. */
export function loadLabSettings(env: NodeJS.ProcessEnv = process.env): LabSettings {
  const values = parseEnvironment(labSchema, env);
  return Object.freeze({
    dir: path.resolve(values.HYBRIDOPS_LAB_DIR ?? path.join('.hybridops', 'lab')),
    user: values.HYBRIDOPS_LAB_USER,
    playgroundPort: values.HYBRIDOPS_PLAYGROUND_PORT,
  });
}
