/**
 * `approve <approval> as=<name>` and `reject <approval> [reason…] as=<name>`: in the lab, one admin at the
 * Playground decides as one of the lab's simulated approvers (the Playground has no user switch). The decision
 * goes through the same rules as a click on the card; outside the lab both are refused.
 */
import type { TurnContext } from 'botbuilder';
import type { Caller } from '../caller';
import { VERBS } from '../cards/elements';
import { errorCard, refusalCard } from '../cards/message-cards';
import type { CommandSpec, ParsedCommand } from '../commands/parse';
import { cardActivity } from '../poster';
import { actorOf } from '../run-coordinator';
import type { BotServices, SimulatedPerson } from '../services';
import { turnLogger } from '../turn-logger';
import { answerCardActionFor, replyReference } from './card-actions';

const REASON_WORDS = 60;
const lab = ['adminChannel'] as const;

/** The lab's chat decisions; parsed everywhere (production answers them with a refusal), listed in help only in the lab. */
export const LAB_COMMANDS: readonly CommandSpec[] = [
  {
    name: 'approve',
    usage: 'approve <approval> as=<name>',
    summary: 'Lab only: approve as one of the lab’s simulated approvers (as=lee).',
    role: 'anyone',
    places: lab,
    positionals: [{ name: 'approval', required: true }],
    options: [{ key: 'as', required: true }],
  },
  {
    name: 'reject',
    usage: 'reject <approval> [reason…] as=<name>',
    summary: 'Lab only: reject as one of the lab’s simulated approvers, with an optional reason.',
    role: 'anyone',
    places: lab,
    positionals: [
      { name: 'approval', required: true },
      ...Array.from({ length: REASON_WORDS }, () => ({ name: 'reason', required: false })),
    ],
    options: [{ key: 'as', required: true }],
  },
];

/** The simulated person `as` names: a first name, a full name without spaces, or a Teams user id. */
export function simulatedPerson(people: readonly SimulatedPerson[], as: string): SimulatedPerson | null {
  const wanted = as.toLowerCase();
  return (
    people.find((person) =>
      [person.name.split(' ')[0], person.name.replace(/\s+/g, ''), person.id].some(
        (name) => name?.toLowerCase() === wanted,
      ),
    ) ?? null
  );
}

/** Answers `approve`/`reject` typed in the admin channel. */
export async function handleLabDecision(
  context: TurnContext,
  services: BotServices,
  caller: Caller,
  command: ParsedCommand,
): Promise<void> {
  const reply = (card: Parameters<typeof cardActivity>[0]) => context.sendActivity(cardActivity(card));
  if (!services.labPeople) {
    await reply(
      refusalCard(
        `${command.name} in chat exists only in the lab; here, an approver decides with the buttons on the approval card.`,
      ),
    );
    return;
  }
  const person = simulatedPerson(services.labPeople, command.options.as ?? '');
  if (!person) {
    const names = services.labPeople.map((p) => p.name.split(' ')[0]?.toLowerCase()).join(', ');
    await reply(refusalCard(`as= names one of the lab’s people: ${names}. Nothing was decided.`));
    return;
  }
  const [prefix = '', ...words] = command.positionals;
  const pending = await services.store.approvals.findPendingApproval(prefix);
  if (!pending) {
    await reply(
      errorCard(
        'No such pending approval',
        `No pending approval has an id starting with ${prefix}.`,
        'Type status to list pending approvals.',
      ),
    );
    return;
  }
  const actingAs: Caller = {
    ...caller,
    aadObjectId: person.aadObjectId.toLowerCase(),
    userId: person.id,
    name: person.name,
  };
  await services.store.runs.appendAudit({
    at: services.clock.now().toISOString(),
    actor: actorOf(caller.name, caller.aadObjectId),
    action: 'lab.acted-as',
    runId: null,
    runbook: null,
    target: services.scope,
    detail: `${command.name} approval ${pending.id} as ${person.name} (typed in the lab)`,
    outcome: null,
    durationMs: null,
  });
  const verb = command.name === 'approve' ? VERBS.approve : VERBS.reject;
  const answer = await answerCardActionFor(actingAs, services, verb, {
    approvalId: pending.id,
    ...(words.length ? { reason: words.join(' ') } : {}),
  });
  await reply(answer.card);
  answer.after?.(replyReference(context), turnLogger(context, services.logger));
}
