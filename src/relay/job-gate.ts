/** The agent's gate: a job runs only if the pinned key signed it, for this agent, unexpired, and every command is allowlisted and valid. */
import type { KeyObject } from 'node:crypto';
import type { EmsCommand } from '../core/ems';
import { errorMessage, type RelayErrorCode } from '../core/errors';
import type { Clock } from '../core/ports';
import { isMutating, validateCommand } from '../exchange/validate';
import { type JobMessage, type JobPayload, jobPayloadSchema, MAX_JOB_TTL_MS } from './protocol';
import { verifyPayload } from './signing';

/** A job that passed the gate, with its commands re-validated. */
export interface AcceptedJob {
  readonly payload: JobPayload;
  readonly commands: readonly EmsCommand[];
}

/**
 * Why a job was refused; `trusted` is false when the signature did not verify: nothing in it can be believed,
 * so `jobId` is null and the refusal is answered to nobody.
 */
export interface RefusedJob {
  readonly jobId: string | null;
  readonly code: RelayErrorCode;
  readonly message: string;
  readonly trusted: boolean;
}

export type GateDecision =
  | { readonly ok: true; readonly job: AcceptedJob }
  | ({ readonly ok: false } & RefusedJob);

export interface GateOptions {
  readonly publicKey: KeyObject;
  readonly agentId: string;
  readonly clock: Clock;
  /** Tolerated clock difference between bot and agent. */
  readonly skewMs?: number;
}

/** The job id a signed payload that fails the job schema claims, so that the refusal can be matched by the hub. */
function claimedJobId(payload: string): string | null {
  try {
    const id = (JSON.parse(payload) as { jobId?: unknown }).jobId;
    return typeof id === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(id) ? id : null;
  } catch {
    return null;
  }
}

/** Checks a job message; nonce replay is checked by the caller against its durable journal. */
export function checkJob(message: JobMessage, options: GateOptions): GateDecision {
  const refuse = (
    jobId: string | null,
    code: RelayErrorCode,
    text: string,
    trusted = true,
  ): GateDecision => ({
    ok: false,
    jobId,
    code,
    message: text,
    trusted,
  });
  if (!verifyPayload(options.publicKey, message.payload, message.signature)) {
    // No job id: whoever sent it must not get the agent to answer for a job the bot may really have sent.
    return refuse(null, 'BAD_SIGNATURE', 'The job is not signed by the pinned bot key.', false);
  }
  let payload: JobPayload;
  try {
    const parsed = jobPayloadSchema.safeParse(JSON.parse(message.payload));
    if (!parsed.success)
      return refuse(claimedJobId(message.payload), 'MALFORMED_MESSAGE', 'The signed job is not a valid job.');
    payload = parsed.data;
  } catch {
    return refuse(null, 'MALFORMED_MESSAGE', 'The signed job is not JSON.');
  }
  const { jobId } = payload;
  if (payload.agentId !== options.agentId) {
    return refuse(jobId, 'WRONG_AGENT', `The job is for agent ${payload.agentId}, not ${options.agentId}.`);
  }
  const now = options.clock.now().getTime();
  const skew = options.skewMs ?? 60_000;
  if (payload.expiresAt <= now)
    return refuse(jobId, 'JOB_EXPIRED', `The job expired at ${new Date(payload.expiresAt).toISOString()}.`);
  if (payload.expiresAt > now + MAX_JOB_TTL_MS + skew || payload.issuedAt > now + skew) {
    return refuse(jobId, 'JOB_TOO_LONG_LIVED', 'The job is dated too far in the future.');
  }
  const commands: EmsCommand[] = [];
  for (const raw of payload.commands) {
    try {
      commands.push(validateCommand(raw));
    } catch (error) {
      return refuse(jobId, 'NOT_ALLOWED', errorMessage(error));
    }
  }
  if (payload.mode === 'single' && commands.length !== 1) {
    return refuse(jobId, 'NOT_ALLOWED', 'A single job carries exactly one command.');
  }
  if (payload.mode === 'reads') {
    const mutating = commands.find((command) => isMutating(command.cmdlet));
    if (mutating) {
      return refuse(
        jobId,
        'MUTATING_IN_READ_BATCH',
        `${mutating.cmdlet} changes the org and can't travel in a batch of reads.`,
      );
    }
  }
  return { ok: true, job: { payload, commands } };
}
