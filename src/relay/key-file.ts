/** The agent's key file: its id, its own secret for the hub, and the bot public key it pins. */

import type { KeyObject } from 'node:crypto';
import fs from 'node:fs';
import { z } from 'zod/v4';
import { CodedError } from '../core/errors';
import { agentIdSchema } from './protocol';
import { parsePublicKey } from './signing';

const keyFileSchema = z.strictObject({
  agentId: agentIdSchema,
  secret: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  botPublicKey: z.string().min(1),
  hubUrl: z.string().url().optional(),
});

/** What `agents add` writes for an agent. */
export interface AgentKeyFile {
  readonly agentId: string;
  readonly secret: string;
  readonly botPublicKey: string;
  readonly hubUrl?: string;
}

/** Writes a key file readable by its owner only; refuses to replace one unless `overwrite`. */
export function writeAgentKeyFile(file: string, key: AgentKeyFile, overwrite = false): void {
  fs.writeFileSync(file, `${JSON.stringify(key, null, 2)}\n`, { mode: 0o600, flag: overwrite ? 'w' : 'wx' });
  fs.chmodSync(file, 0o600);
}

/** Reads and checks a key file; throws BAD_KEY_FILE naming the file. */
export function readAgentKeyFile(file: string): AgentKeyFile & { readonly publicKey: KeyObject } {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CodedError(
      'BAD_KEY_FILE',
      `Key file ${file} can't be read as JSON: ${(error as Error).message}`,
    );
  }
  const parsed = keyFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CodedError(
      'BAD_KEY_FILE',
      `Key file ${file} is invalid at ${issue?.path.join('.') || '(root)'}: ${issue?.message}.`,
    );
  }
  return { ...parsed.data, publicKey: parsePublicKey(parsed.data.botPublicKey) };
}
