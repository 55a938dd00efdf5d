/** Handlers of the read-only commands about hybridops itself: help, runbooks, status, history, agents. */
import { RUNBOOKS } from '../../runbooks';
import { shortId } from '../cards/elements';
import { errorCard, infoCard } from '../cards/message-cards';
import { agentsCard } from '../cards/org-cards';
import { type CommandHandler, notAvailable } from './handler';
import { COMMANDS, helpLines } from './table';

export const help: CommandHandler<never> = async () =>
  infoCard('hybridops', [
    'Mention me in the admin channel with a command. Operators plan and request; a second person, an approver, approves; then I run the steps and verify.',
    ...helpLines(COMMANDS),
  ]);

export const runbooks: CommandHandler<never> = async () =>
  infoCard(
    'Runbooks',
    RUNBOOKS.map(
      (runbook) =>
        `**${runbook.name}** — ${runbook.title} (${runbook.exchangeVersions})${runbook.caution ? ' · needs acknowledge=yes' : ''}`,
    ),
  );

export const status: CommandHandler<'store'> = async ({ command, services }) => {
  const wanted = command.positionals[0]?.toLowerCase();
  const { runs: journal } = services.store;
  if (!wanted) {
    const runs = await journal.listRuns({ limit: 10 });
    if (runs.length === 0) return infoCard('Runs', ['No runs yet. Start with plan.']);
    return infoCard(
      'Recent runs',
      runs.map(
        (run) =>
          `**${shortId(run.id)}** ${run.runbook} · ${run.state} · ${run.createdAt.slice(0, 16).replace('T', ' ')} · by ${run.requestedBy}`,
      ),
    );
  }
  const [run] = await journal.listRuns({ idPrefix: wanted, limit: 1 });
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

export const history: CommandHandler<'store'> = async ({ services }) => {
  const entries = (await services.store.runs.listAudit(15)).reverse();
  if (entries.length === 0) return infoCard('Audit log', ['The audit log is empty.']);
  return infoCard(
    'Audit log (latest first)',
    entries.map((entry) =>
      `${entry.at.slice(0, 19).replace('T', ' ')} · **${entry.action}** · ${entry.actor}${entry.runId ? ` · run ${shortId(entry.runId)}` : ''} · ${entry.outcome ?? entry.detail}`.slice(
        0,
        400,
      ),
    ),
  );
};

export const agents: CommandHandler<'agents'> = async ({ services }) => {
  if (!services.agents) return notAvailable('The relay');
  return agentsCard(await services.agents.listAgents());
};
