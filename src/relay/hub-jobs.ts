/** Making a job: validated commands, a fresh id and nonce, an expiry, and the bot's signature over the exact payload. */
import { type KeyObject, randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../core/ports';
import { validateCommand } from '../exchange/validate';
import type { DispatchRequest } from './hub-types';
import type { JobPayload } from './protocol';
import { signPayload } from './signing';

/** A job ready to store and send. */
export interface SignedJob {
  readonly job: JobPayload;
  readonly payload: string;
  readonly signature: string;
}

/**
 * Builds and signs a job. It must start within `deliveryMs` (or its timeout, if shorter): after that the
 * agent refuses it as expired, so a job can't surface long after the engine stopped waiting.
 */
export function createSignedJob(
  request: DispatchRequest,
  options: { signingKey: KeyObject; clock: Clock; timeoutMs: number; deliveryMs: number },
): SignedJob {
  const now = options.clock.now().getTime();
  const job: JobPayload = {
    jobId: randomUUID(),
    agentId: request.agentId,
    runId: request.runId ?? null,
    stepId: request.stepId ?? null,
    attempt: request.attempt ?? 1,
    mode: request.mode,
    // The bot checks what it signs; the agent checks again with the same function.
    commands: request.commands.map((command) => validateCommand(command)),
    timeoutMs: options.timeoutMs,
    issuedAt: now,
    expiresAt: now + Math.min(options.deliveryMs, options.timeoutMs),
    nonce: randomBytes(18).toString('base64url'),
  };
  const payload = JSON.stringify(job);
  return { job, payload, signature: signPayload(options.signingKey, payload) };
}
