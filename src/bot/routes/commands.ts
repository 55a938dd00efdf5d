/** The message route: every chat command goes through place checks, the command table and its role. */
import type { AdaptiveCard, Application, TurnState } from '@microsoft/teams-ai';
import { ActivityTypes, type TurnContext } from 'botbuilder';
import { errorMessage, isCodedError } from '../../core/errors';
import { authorize, checkPlace } from '../access';
import { type Caller, callerOf } from '../caller';
import { errorCard, refusalCard, usageCard } from '../cards/message-cards';
import { cancel, plan } from '../commands/change-handlers';
import type { CommandHandler } from '../commands/handler';
import { history } from '../commands/history';
import * as org from '../commands/org-handlers';
import { type CommandSpec, type ParsedCommand, parseMessage } from '../commands/parse';
import * as read from '../commands/read-handlers';
import { COMMANDS } from '../commands/table';
import { NEXT_STEPS, nextStepFor } from '../next-steps';
import { learnApproverUserIds } from '../roster';
import { actorOf } from '../run-coordinator';
import type { BotServices } from '../services';
import { turnLogger } from '../turn-logger';
import { rememberAdminChannel, rememberUser } from './install';
import { handleLabDecision, LAB_COMMANDS } from './lab-commands';
import { type AnswerSurface, answerWithProgress, SLOW_COMMANDS, turnSurface } from './progress';

const HANDLERS: Record<string, CommandHandler> = {
  help: read.help,
  runbooks: read.runbooks,
  plan,
  status: read.status,
  history,
  agents: read.agents,
  cancel,
  verify: org.verify,
  cert: org.cert,
  inspect: org.inspect,
  watch: org.watch,
};

/** Answers one chat message with a card. */
export async function handleCommandMessage(context: TurnContext, services: BotServices): Promise<void> {
  await handleCommandText(context, services, context.activity.text ?? '', turnSurface(context));
}

/**
 * Answers one command, typed or clicked (a next-step button sends the command text): the same place checks,
 * parsing, role and handler either way; `reply` posts each answer.
 */
export async function handleCommandText(
  context: TurnContext,
  services: BotServices,
  message: string,
  surface: AnswerSurface,
): Promise<void> {
  const reply = (answer: AdaptiveCard) => surface.post(answer);
  const caller = callerOf(context.activity);
  rememberUser(services, caller);
  const place = checkPlace(caller, services.policy);
  if (!place.ok) {
    turnLogger(context, services.logger).info(
      { reason: place.reason, tenant: caller.tenantId, team: caller.teamId },
      'message refused',
    );
    await reply(refusalCard(place.message));
    return;
  }
  await surface.typing();
  if (place.place === 'adminChannel') await rememberAdminChannel(context, services, 'refresh');
  const parsed = parseMessage(message, [...COMMANDS, ...LAB_COMMANDS]);
  if (!parsed.ok) {
    await reply(usageCard(parsed.problem, parsed.usage, parsed.hint));
    return;
  }
  const decision = authorize(caller, services.policy, parsed.spec.role, parsed.spec.places);
  if (!decision.ok) {
    await reply(refusalCard(decision.message));
    return;
  }
  if (LAB_COMMANDS.includes(parsed.spec)) {
    await handleLabDecision(context, services, caller, parsed.command);
    return;
  }
  const handler = HANDLERS[parsed.spec.name];
  if (!handler) throw new Error(`Command ${parsed.spec.name} has no handler.`);
  // A plan leads to an approval card addressed to the approvers: learn their Teams ids in this message turn.
  const roster = parsed.spec.name === 'plan' ? learnApproverUserIds(context, services) : undefined;
  const answer = () => answerCommand(context, services, caller, parsed.spec, parsed.command, handler);
  try {
    if (!SLOW_COMMANDS.has(parsed.spec.name)) await reply(await answer());
    else
      await answerWithProgress(
        surface,
        subjectOf(parsed.command, services),
        SLOW_WHAT[parsed.spec.name] ?? 'Reading the org',
        answer,
      );
  } finally {
    await roster;
  }
}

/** What a slow command is doing, for its "Checking …" card. */
const SLOW_WHAT: Record<string, string> = {
  plan: 'Reading the org to plan the runbook',
  verify: 'Running the verification checks',
  cert: 'Reading the auth certificates and the keys in Entra',
};

/** The org a command looks at, as the admin named it (domain=…) or the managed org. */
function subjectOf(command: ParsedCommand, services: Pick<BotServices, 'org'>): string {
  return command.options.domain ?? services.org?.inputs.domain ?? 'the org';
}

/** The card a command answers with: its handler's, a usage card for bad input, or an error card. */
async function answerCommand(
  context: TurnContext,
  services: BotServices,
  caller: Caller,
  spec: CommandSpec,
  command: ParsedCommand,
  handler: CommandHandler,
): Promise<AdaptiveCard> {
  try {
    return await handler({
      command,
      services,
      actor: actorOf(caller.name, caller.aadObjectId),
      actorName: caller.name,
      conversationId: caller.conversationId,
    });
  } catch (error) {
    if (isCodedError(error, 'UNKNOWN_RUNBOOK', 'BAD_INPUT'))
      return usageCard(error.message, spec.usage, NEXT_STEPS[error.code]);
    turnLogger(context, services.logger).error({ err: error, command: spec.name }, 'command failed');
    const next = nextStepFor(error, 'Try again; if it keeps failing, check the bot log for this time.');
    return errorCard(`${spec.name} failed`, errorMessage(error), next);
  }
}

/** Registers the route for text messages (after the card Action.Submit routes). */
export function registerCommandRoutes(app: Application<TurnState>, services: BotServices): void {
  app.activity(
    async (context) =>
      context.activity.type === ActivityTypes.Message && typeof context.activity.text === 'string',
    async (context) => handleCommandMessage(context, services),
  );
}
