/** Time as Exchange, X.509 and Graph print it. */

/** ISO-8601 to the second (`2026-11-21T12:00:00Z`): certificate validity, Graph DateTimeOffset, effective dates. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
