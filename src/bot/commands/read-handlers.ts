/** Handlers of the read-only commands about hybridops itself: help, runbooks, status, agents. */
import { RUNBOOKS } from '../../runbooks';
import { isExpired } from '../approvals';
import { approverNames } from '../cards/approval-card';
import { shortId } from '../cards/elements';
import { actorName } from '../cards/history-card';
import { errorCard, infoCard } from '../cards/message-cards';
import { agentsCard } from '../cards/org-cards';
import { LAB_COMMANDS } from '../routes/lab-commands';
import { type CommandHandler, type HandlerInput, notAvailable } from './handler';
import { COMMANDS, helpLines } from './table';

/** The help card, with and without the lab's commands: nothing on it varies, so each is built once. */
const helpCards = new Map<boolean, ReturnType<typeof infoCard>>();

export const help: CommandHandler<'labPeople'> = async ({ services }) => {
  const lab = Boolean(services.labPeople);
  const known = helpCards.get(lab);
  if (known) return known;
  const card = infoCard('hybridops', [
    'Mention me in the admin channel with a command. Operators plan and request; a second person, an approver, approves; then I run the steps and verify.',
    ...helpLines(COMMANDS),
    ...(lab ? helpLines(LAB_COMMANDS) : []),
  ]);
  helpCards.set(lab, card);
  return card;
};

export const runbooks: CommandHandler<never> = async () =>
  infoCard(
    'Runbooks',
    RUNBOOKS.map(
      (runbook) =>
        `**${runbook.name}** — ${runbook.title} (${runbook.exchangeVersions})${runbook.caution ? ' · needs acknowledge=yes' : ''}`,
    ),
  );

const minute = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/** What is in flight: runs checking the org before they start, and approvals waiting for a decision. */
async function inFlight(
  services: HandlerInput<'store' | 'coordinator' | 'clock' | 'userNames' | 'scope' | 'policy'>['services'],
): Promise<string[]> {
  const now = services.clock.now();
  const checking = services.coordinator
    .listActive()
    .filter((entry) => entry.phase !== 'running')
    .map(
      (entry) =>
        `**${shortId(entry.approvalId)}** ${entry.phase === 'checking' ? 'checking the org before the run' : 'waiting for the run before it'} since ${minute(entry.since)} · \`cancel ${shortId(entry.approvalId)}\` stops it`,
    );
  const pending = (await services.store.approvals.listPendingApprovals(10))
    .filter((approval) => !isExpired(approval, now))
    .filter(
      (approval) =>
        !services.scope || approval.conversationId.split(';')[0] === services.policy.adminChannelId,
    )
    .map(
      (approval) =>
        `**${shortId(approval.id)}** approval pending · requested by ${approval.requesterName} · approvers ${approverNames(approval, services.userNames)} · expires ${minute(approval.expiresAt)}`,
    );
  return [
    ...(checking.length ? ['**Starting**', ...checking] : []),
    ...(pending.length ? ['**Pending approvals**', ...pending] : []),
  ];
}

export const status: CommandHandler<
  'store' | 'coordinator' | 'clock' | 'userNames' | 'scope' | 'policy'
> = async ({ command, services }) => {
  const wanted = command.positionals[0]?.toLowerCase();
  const { runs: journal } = services.store;
  if (!wanted) {
    const scope = services.scope ? { target: services.scope } : {};
    const [runs, flight] = await Promise.all([journal.listRuns({ limit: 10, ...scope }), inFlight(services)]);
    if (runs.length === 0 && flight.length === 0) return infoCard('Runs', ['No runs yet. Start with plan.']);
    return infoCard('Status', [
      ...flight,
      ...(runs.length ? ['**Recent runs**'] : []),
      ...runs.map(
        (run) =>
          `**${shortId(run.id)}** ${run.runbook} · ${run.state} · ${minute(run.createdAt)} · by ${actorName(run.requestedBy)}`,
      ),
    ]);
  }
  const [run] = await journal.listRuns({
    idPrefix: wanted,
    limit: 1,
    ...(services.scope ? { target: services.scope } : {}),
  });
  if (!run)
    return errorCard(
      'No such run',
      `No recent run has an id starting with ${wanted}.`,
      'Type status to list recent runs.',
    );
  const steps = await journal.listSteps(run.id);
  return infoCard(
    `Run ${shortId(run.id)}: ${run.runbook}`,
    steps.map(
      (step) =>
        `${step.state === 'failed' ? '✖' : step.state === 'pending' ? '○' : '✔'} ${step.title} · ${step.state}${step.error ? ` — ${step.error}` : ''}`,
    ),
    [
      ['State', run.state],
      ['Requested by', run.requestedBy],
      ['Approved by', run.approvedBy ?? '—'],
      ['Started', run.createdAt],
      ['Finished', run.finishedAt ?? '—'],
    ],
  );
};

export const agents: CommandHandler<'agents'> = async ({ services }) => {
  if (!services.agents) return notAvailable('The relay');
  return agentsCard(await services.agents.listAgents());
};
