/** Typed errors of the relay, each with a stable code the hub, the agent and the CLI branch on. */

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

/** A relay failure with a stable code and one sentence an operator can act on. */
export class RelayError extends Error {
  override readonly name = 'RelayError';

  constructor(
    readonly code: RelayErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The message of any thrown value, for logs and result records. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
