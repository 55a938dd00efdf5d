/** Typed errors of the Exchange command model, each with a stable code callers can branch on. */

/** Why a command object was refused by validation. */
export type ValidationErrorCode =
  | 'BAD_SHAPE'
  | 'UNKNOWN_CMDLET'
  | 'UNKNOWN_PARAMETER'
  | 'BAD_VALUE'
  | 'MISSING_PARAMETER'
  | 'CONFLICTING_PARAMETERS';

/** A command that is not one hybridops may render or run. The message is one sentence an admin can act on. */
export class CommandValidationError extends Error {
  override readonly name = 'CommandValidationError';

  constructor(
    readonly code: ValidationErrorCode,
    message: string,
    readonly cmdlet?: string,
    readonly parameter?: string,
  ) {
    super(message);
  }
}

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

/** A command line that is not exactly one allowlisted command with literal arguments. */
export class CommandParseError extends Error {
  override readonly name = 'CommandParseError';

  constructor(
    readonly code: ParseErrorCode,
    message: string,
  ) {
    super(message);
  }
}
