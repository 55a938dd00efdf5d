/** Typed errors of the store, each with a stable code and one sentence an operator can act on. */

export type StoreErrorCode =
  | 'BAD_DATABASE_URL'
  | 'DATABASE_UNREACHABLE'
  | 'MIGRATION_FAILED'
  | 'CORRUPT_PLAN';

/** A store failure with a stable code; `cause` keeps the driver's own error. */
export class StoreError extends Error {
  override readonly name = 'StoreError';

  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The message of any thrown value (driver errors may come from another realm, so no instanceof). */
export function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}
