/** The shape of a command handler: the parsed command, who sent it, and only the services it uses. */
import type { AdaptiveCard } from '@microsoft/teams-ai';
import { errorCard } from '../cards/message-cards';
import type { BotServices } from '../services';
import type { ParsedCommand } from './parse';

/** One parsed command and who sent it; `services` narrowed to what the handler uses. */
export interface HandlerInput<D extends keyof BotServices = keyof BotServices> {
  readonly command: ParsedCommand;
  readonly services: Pick<BotServices, D>;
  /** Display name and Entra object id of the caller, as journaled. */
  readonly actor: string;
  readonly actorName: string;
  readonly conversationId: string;
}

export type CommandHandler<D extends keyof BotServices = keyof BotServices> = (
  input: HandlerInput<D>,
) => Promise<AdaptiveCard>;

/** The card for a command whose part this installation lacks. */
export const notAvailable = (what: string) =>
  errorCard(
    `${what} is not available yet`,
    `This installation has no ${what.toLowerCase()} component yet.`,
    'Use plan, verify and status meanwhile; an update of hybridops adds it.',
  );
