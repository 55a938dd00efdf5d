/** Typed errors of the watch, with stable codes; the bot and the CLI turn them into one sentence. */

export type AlertsErrorCode =
  | 'BAD_THRESHOLDS'
  | 'BAD_SCHEDULE'
  | 'BAD_SNOOZE'
  | 'UNKNOWN_ORG'
  | 'UNKNOWN_ALERT';

export class AlertsError extends Error {
  constructor(
    readonly code: AlertsErrorCode,
    message: string,
  ) {
    super(message);
  }
}
