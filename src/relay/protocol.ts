/**
 * The relay wire protocol: versioned JSON messages over one WebSocket per agent. Every inbound frame is
 * size-checked, parsed and schema-validated before anything looks at it; a frame that fails is refused.
 */
import type { RawData } from 'ws';
import { z } from 'zod/v4';
import { CodedError } from '../core/errors';

export const PROTOCOL_VERSION = 1;
/** The largest frame either side accepts; ws closes the connection (1009) on anything bigger. */
export const MAX_FRAME_BYTES = 1024 * 1024;
/** The most commands one job may carry (a plan's read-only probes travel together). */
export const MAX_COMMANDS_PER_JOB = 64;
/** How far in the future a job may expire; the agent keeps nonces at least this long. */
export const MAX_JOB_TTL_MS = 15 * 60 * 1000;

const v = z.literal(PROTOCOL_VERSION);
const token = z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/);
/** An agent id: lower-case letters, digits and dashes, as typed in `agents add --id`. */
export const agentIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/);
const epochMs = z.number().int().nonnegative();

const errorRecordSchema = z.strictObject({
  message: z.string().max(16_384),
  category: z.string().max(256),
  errorId: z.string().max(1024),
});

/** One command's result, as EmsResult. */
export const emsResultSchema = z.union([
  z.strictObject({ ok: z.literal(true), output: z.array(z.record(z.string(), z.unknown())) }),
  z.strictObject({
    ok: z.literal(false),
    output: z.array(z.record(z.string(), z.unknown())),
    error: errorRecordSchema,
  }),
]);

export const JOB_STATUSES = ['succeeded', 'failed', 'timedOut', 'rejected', 'interrupted'] as const;
/**
 * How a job ended. `failed` means the command ran and Exchange answered with an error; `timedOut` and
 * `interrupted` (the agent died while it ran) leave the outcome unknown; `rejected` means nothing ran.
 */
export type JobStatus = (typeof JOB_STATUSES)[number];

/** What the bot signs: everything the agent needs to decide whether to run a job, and what to run. */
export const jobPayloadSchema = z.strictObject({
  jobId: token,
  agentId: agentIdSchema,
  runId: token.nullable(),
  stepId: token.nullable(),
  attempt: z.number().int().min(1).max(1000),
  mode: z.enum(['single', 'reads']),
  // Commands stay unknown here: the agent re-validates each one with the same command model the bot uses.
  commands: z.array(z.unknown()).min(1).max(MAX_COMMANDS_PER_JOB),
  timeoutMs: z.number().int().min(1).max(MAX_JOB_TTL_MS),
  issuedAt: epochMs,
  expiresAt: epochMs,
  nonce: z.string().regex(/^[A-Za-z0-9_-]{16,128}$/),
});
export type JobPayload = z.infer<typeof jobPayloadSchema>;

const jobError = z.strictObject({ code: z.string().max(64), message: z.string().max(4096) }).nullable();

const hello = z.strictObject({
  v,
  type: z.literal('hello'),
  agentId: agentIdSchema,
  version: z.string().max(64),
  capabilities: z.array(z.string().max(64)).max(32),
  inFlight: z.array(token).max(1000),
});
const ack = z.strictObject({ v, type: z.literal('ack'), jobId: token });
const progress = z.strictObject({
  v,
  type: z.literal('progress'),
  jobId: token,
  done: z.number().int().nonnegative(),
  of: z.number().int().positive(),
});
const result = z.strictObject({
  v,
  type: z.literal('result'),
  jobId: token,
  status: z.enum(JOB_STATUSES),
  results: z.array(emsResultSchema).max(MAX_COMMANDS_PER_JOB),
  error: jobError,
  durationMs: z.number().nonnegative(),
});
const ping = z.strictObject({ v, type: z.literal('ping'), at: epochMs });

const welcome = z.strictObject({ v, type: z.literal('welcome'), heartbeatMs: z.number().int().positive() });
const job = z.strictObject({
  v,
  type: z.literal('job'),
  payload: z.string().max(MAX_FRAME_BYTES),
  signature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/),
  // Result acknowledgements riding along with the next job (outside the signature: they only let the agent
  // clear its outbox, and a lost one merely makes it send a result again).
  acks: z.array(token).max(1000).optional(),
});
const resultAck = z.strictObject({
  v,
  type: z.literal('result-ack'),
  jobIds: z.array(token).min(1).max(1000),
});
const cancel = z.strictObject({ v, type: z.literal('cancel'), jobId: token });
const pong = z.strictObject({ v, type: z.literal('pong'), at: epochMs });

/** Messages an agent sends to the hub. */
export const agentMessageSchema = z.discriminatedUnion('type', [hello, ack, progress, result, ping]);
/** Messages the hub sends to an agent. */
export const hubMessageSchema = z.discriminatedUnion('type', [welcome, job, resultAck, cancel, pong]);

export type AgentMessage = z.infer<typeof agentMessageSchema>;
export type HubMessage = z.infer<typeof hubMessageSchema>;
export type HelloMessage = z.infer<typeof hello>;
export type JobMessage = z.infer<typeof job>;
export type ResultMessage = z.infer<typeof result>;

/** Parses one frame against `schema`; throws MALFORMED_MESSAGE saying what was wrong. */
export function parseFrame<T>(data: RawData | string, schema: z.ZodType<T>): T {
  return parseFrameText(frameText(data), schema);
}

/** Parses a frame already decoded to text. */
export function parseFrameText<T>(text: string, schema: z.ZodType<T>): T {
  if (Buffer.byteLength(text) > MAX_FRAME_BYTES) {
    throw new CodedError('MALFORMED_MESSAGE', `Frame of ${Buffer.byteLength(text)} bytes is over the limit.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CodedError('MALFORMED_MESSAGE', 'Frame is not JSON.');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : '(root)';
    throw new CodedError('MALFORMED_MESSAGE', `Frame refused: ${where}: ${issue?.message ?? 'invalid'}.`);
  }
  return parsed.data;
}

/** Serialises a message for the wire. */
export function encode(message: AgentMessage | HubMessage): string {
  return JSON.stringify(message);
}

/** A frame's bytes as UTF-8 text. */
export function frameText(data: RawData | string): string {
  if (typeof data === 'string') return data;
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  return Buffer.from(data).toString('utf8');
}
