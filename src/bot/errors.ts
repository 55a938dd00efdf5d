/** Typed errors of the Teams surface, with stable codes; each carries what the admin should do next. */

export type BotErrorCode =
  | 'BOT_REMOVED'
  | 'DELIVERY_FAILED'
  | 'NO_ADMIN_CHANNEL'
  | 'PLAN_NOT_FOUND'
  | 'NOT_AVAILABLE'
  | 'INTERNAL';

/** An error the bot shows as a card: what happened, and what to do next. */
export class BotError extends Error {
  constructor(
    readonly code: BotErrorCode,
    message: string,
    readonly nextStep: string,
  ) {
    super(message);
  }
}

/** The HTTP status of a connector error (botframework-connector's RestError), if it has one. */
export function statusOf(error: unknown): number | null {
  const candidate = error as { statusCode?: unknown; status?: unknown } | null;
  const status = candidate?.statusCode ?? candidate?.status;
  return typeof status === 'number' ? status : null;
}

/** One sentence for any thrown value, for logs and error cards. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
