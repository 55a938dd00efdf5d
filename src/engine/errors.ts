/** Typed engine errors with stable codes; the CLI and the bot turn them into one clear sentence. */

export type EngineErrorCode =
  | 'PROBE_FAILED'
  | 'CAUTION_NOT_ACKNOWLEDGED'
  | 'STEP_FAILED'
  | 'WOULD_REPEAT_COMMAND'
  | 'OUTCOME_UNKNOWN';

export class EngineError extends Error {
  constructor(
    readonly code: EngineErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** True when an Exchange error means "no such object" rather than a failure to ask. */
export function isNotFound(error: { message: string; errorId: string; category: string }): boolean {
  return (
    error.errorId.includes('ManagementObjectNotFound') ||
    error.category === 'ObjectNotFound' ||
    /couldn't be found on/.test(error.message)
  );
}
