/** The store's failures are CodedErrors (codes in `StoreErrorCode`, src/core/errors.ts); this keeps the driver's message. */

/** The message of any thrown value (driver errors may come from another realm, so no instanceof). */
export function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}
