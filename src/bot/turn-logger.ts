/** A child logger per turn, carrying the activity's ids, so every line of one turn can be found together. */
import type { TurnContext } from 'botbuilder';
import type { Logger } from 'pino';

const TURN_LOGGER = Symbol('hybridops.turnLogger');

/** The turn's logger: `logger` with the activity's ids, made once per turn. */
export function turnLogger(context: TurnContext, logger: Logger): Logger {
  const made = context.turnState.get(TURN_LOGGER) as Logger | undefined;
  if (made) return made;
  const { activity } = context;
  const child = logger.child({
    turn: {
      activityId: activity.id,
      type: activity.type,
      ...(activity.name ? { name: activity.name } : {}),
      conversationId: activity.conversation?.id,
      from: activity.from?.aadObjectId ?? activity.from?.id,
    },
  });
  context.turnState.set(TURN_LOGGER, child);
  return child;
}
