/** One error shape for all of hybridops: a stable code callers branch on, a sentence an admin can act on, a cause. */

/** A setting or a command line that cannot be used as given. */
export type RequestErrorCode = 'CONFIG_INVALID' | 'USAGE' | 'UNKNOWN_RUNBOOK' | 'BAD_INPUT';

/** The engine refused or stopped a plan or a run. */
export type EngineErrorCode =
  | 'PROBE_FAILED'
  | 'CAUTION_NOT_ACKNOWLEDGED'
  /** The org is not ready for the runbook (e.g. the shared principal clean-up before the dedicated app works). */
  | 'PRECONDITION_FAILED'
  | 'STEP_FAILED'
  | 'WOULD_REPEAT_COMMAND'
  | 'OUTCOME_UNKNOWN'
  /** A saved plan that can't be run as given: malformed, changed after it was made, or for another org. */
  | 'BAD_PLAN'
  /** The org no longer matches a saved plan: nothing was run. */
  | 'STALE_PLAN';

/** Why a command object was refused by validation. */
export type ValidationErrorCode =
  | 'BAD_SHAPE'
  | 'UNKNOWN_CMDLET'
  | 'UNKNOWN_PARAMETER'
  | 'BAD_VALUE'
  | 'MISSING_PARAMETER'
  | 'CONFLICTING_PARAMETERS';

/** Why a PowerShell command line was refused by the parser (validation codes pass through unchanged). */
export type ParseErrorCode =
  | ValidationErrorCode
  | 'EMPTY'
  | 'TOO_LONG'
  | 'SYNTAX'
  | 'NOT_ONE_COMMAND'
  | 'FORBIDDEN_SYNTAX'
  | 'BAD_ARGUMENT'
  | 'DUPLICATE_PARAMETER';

/** The relay: hub, agent, protocol, key files and the agent registry. */
export type RelayErrorCode =
  | 'MALFORMED_MESSAGE'
  | 'BAD_CREDENTIAL'
  | 'AGENT_REVOKED'
  | 'UNKNOWN_AGENT'
  | 'AGENT_EXISTS'
  | 'BAD_AGENT_ID'
  | 'BAD_SIGNATURE'
  | 'JOB_EXPIRED'
  | 'JOB_TOO_LONG_LIVED'
  | 'REPLAYED_NONCE'
  | 'WRONG_AGENT'
  | 'NOT_ALLOWED'
  | 'MUTATING_IN_READ_BATCH'
  | 'CANCELLED'
  | 'AGENT_NOT_CONNECTED'
  | 'OUTCOME_UNKNOWN'
  | 'BAD_KEY_FILE'
  | 'BAD_AGENT_OPTIONS'
  | 'HUB_CLOSED';

/** The watch: its settings and the alerts it keeps. */
export const ALERTS_ERROR_CODES = [
  'BAD_THRESHOLDS',
  'BAD_SCHEDULE',
  'BAD_SNOOZE',
  'UNKNOWN_ORG',
  'UNKNOWN_ALERT',
] as const;
export type AlertsErrorCode = (typeof ALERTS_ERROR_CODES)[number];

export type GraphErrorCode =
  /** No token could be obtained (wrong secret, unknown app or tenant). */
  | 'GRAPH_AUTH_FAILED'
  /** Graph refused the token (401) or the permission (403). */
  | 'GRAPH_UNAUTHORIZED'
  | 'GRAPH_NOT_FOUND'
  | 'GRAPH_BAD_REQUEST'
  /** Still throttled (429) or unavailable (503/504) after the allowed retries. */
  | 'GRAPH_THROTTLED'
  /** Graph could not be reached at all (DNS, TLS trust, connection). */
  | 'GRAPH_UNREACHABLE'
  /** No service principal has the requested appId. */
  | 'GRAPH_SERVICE_PRINCIPAL_NOT_FOUND'
  /** No application has the requested appId. */
  | 'GRAPH_APPLICATION_NOT_FOUND'
  /** Several applications have the display name looked for: which one is meant can't be told. */
  | 'GRAPH_AMBIGUOUS_APPLICATION'
  /** A key to keep came without its bytes, so the collection cannot be written back whole. */
  | 'GRAPH_KEY_BYTES_MISSING'
  /** Graph answered with something that is not the expected shape. */
  | 'GRAPH_BAD_RESPONSE'
  /** The client was configured wrongly (e.g. neither or both of secret and certificate). */
  | 'GRAPH_CONFIG_INVALID'
  | 'GRAPH_REQUEST_FAILED';

/** The store: where HYBRIDOPS_DB points, whether it can be reached and migrated, and what it holds. */
export type StoreErrorCode =
  | 'BAD_DATABASE_URL'
  | 'DATABASE_UNREACHABLE'
  | 'MIGRATION_FAILED'
  /** A saved plan no longer matches the plan schema: it is never shown or run. */
  | 'CORRUPT_PLAN';

/** The Teams surface. */
export type BotErrorCode = 'BOT_REMOVED' | 'NO_ADMIN_CHANNEL';

/** The simulated org's state file. */
export type LabFileErrorCode =
  | 'LAB_FILE_MISSING'
  | 'LAB_FILE_CORRUPT'
  | 'LAB_FILE_EXISTS'
  | 'LAB_FILE_UNWRITABLE'
  /** A running lab owns the file (its lock names a live process). */
  | 'LAB_FILE_LOCKED';

/** Every code hybridops throws with; `INTERNAL` is anything else, as `asCodedError` wraps it. */
export type ErrorCode =
  | RequestErrorCode
  | EngineErrorCode
  | ParseErrorCode
  | RelayErrorCode
  | AlertsErrorCode
  | GraphErrorCode
  | StoreErrorCode
  | BotErrorCode
  | LabFileErrorCode
  | 'INTERNAL';

/** A failure with a stable code and one sentence an admin or operator can act on. */
export class CodedError<C extends ErrorCode = ErrorCode> extends Error {
  override name = 'CodedError';

  constructor(
    readonly code: C,
    message: string,
    options: { readonly cause?: unknown } = {},
  ) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
  }
}

/** True when `error` is a CodedError (with one of `codes`, when given). */
export function isCodedError<C extends ErrorCode>(error: unknown, ...codes: C[]): error is CodedError<C> {
  return error instanceof CodedError && (codes.length === 0 || (codes as ErrorCode[]).includes(error.code));
}

/** Any thrown value as a CodedError, for the edges (CLI exit, bot reply, logs): unknown failures are INTERNAL. */
export function asCodedError(error: unknown): CodedError {
  if (error instanceof CodedError) return error;
  return new CodedError('INTERNAL', errorMessage(error), { cause: error });
}

/** The message of any thrown value, for logs, result records and cards. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
