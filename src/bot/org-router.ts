/**
 * One bot, many orgs: each turn goes to the org whose admin channel it comes from, so a command there acts on
 * that org only, with that org's operators, approvers, agent and Graph. A personal chat goes to the org the
 * caller belongs to; installation in a team is followed by every org whose admin channel is in it.
 */
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import { authorize } from './access';
import { type Caller, callerOf } from './caller';
import { refusalCard } from './cards/message-cards';
import { cardActivity } from './poster';
import { followInstallation } from './routes/install';
import type { BotServices } from './services';

/** One served org's bot: its routes over its services. */
export interface OrgBot {
  readonly services: BotServices;
  readonly bot: Application<TurnState>;
}

/** Commands that read nothing of an org, answered in a personal chat whichever orgs the caller belongs to. */
const ORG_FREE = new Set(['help', 'runbooks', 'inspect']);

/** An operator or approver of the org, in a personal chat: the same decision every command takes. */
const isMember = (caller: Caller, services: BotServices) =>
  authorize(caller, services.policy, 'member', ['personal']).ok;

/** In the org's admin channel itself. */
const inAdminChannel = (caller: Caller, services: BotServices) =>
  authorize(caller, services.policy, 'anyone', ['adminChannel']).ok;

const inTeam = (caller: Caller, services: BotServices) =>
  caller.teamId === services.policy.adminTeamId && caller.tenantId === services.policy.tenantId.toLowerCase();

/** The first word of a typed command, mention removed. */
function commandWord(text: string | undefined): string {
  const words = (text ?? '')
    .replace(/<at>.*?<\/at>/g, ' ')
    .trim()
    .split(/\s+/);
  return (words[0] ?? '').toLowerCase();
}

/** Which org answers: its bot, or a sentence when a personal chat cannot tell which org is meant. */
export function orgFor(
  bots: readonly OrgBot[],
  context: TurnContext,
): { readonly bot: OrgBot } | { readonly refusal: string } {
  const [first] = bots;
  if (!first) throw new Error('The bot serves no org.');
  if (bots.length === 1) return { bot: first };
  const caller = callerOf(context.activity);
  if (caller.kind === 'channel' || caller.kind === 'groupChat') {
    const exact = bots.find((b) => inAdminChannel(caller, b.services));
    // Elsewhere in a served team, or anywhere else: the first org's place check refuses with its sentence.
    return { bot: exact ?? bots.find((b) => inTeam(caller, b.services)) ?? first };
  }
  const memberOf = bots.filter((b) => isMember(caller, b.services));
  const [only] = memberOf;
  if (memberOf.length <= 1 || context.activity.type !== 'message') return { bot: only ?? first };
  if (ORG_FREE.has(commandWord(context.activity.text))) return { bot: only ?? first };
  const names = memberOf.map((b) => b.services.org?.name ?? b.services.policy.adminChannelId).join(', ');
  return {
    refusal: `You are an operator or approver of several orgs (${names}), so in a personal chat I cannot tell which one you mean: ask in that org's admin channel. Nothing was run.`,
  };
}

/** Runs one turn on the right org's bot; installation in a team is followed by every org in that team. */
export async function runOrgTurn(bots: readonly OrgBot[], context: TurnContext): Promise<void> {
  const chosen = orgFor(bots, context);
  if ('refusal' in chosen) {
    await context.sendActivity(cardActivity(refusalCard(chosen.refusal)));
    return;
  }
  await chosen.bot.bot.run(context);
  const { type } = context.activity;
  if (type !== 'installationUpdate' && type !== 'conversationUpdate') return;
  const caller = callerOf(context.activity);
  for (const other of bots)
    if (other !== chosen.bot && inTeam(caller, other.services))
      await followInstallation(context, other.services);
}
