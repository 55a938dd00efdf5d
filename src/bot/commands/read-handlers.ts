/** Handlers of the read-only commands: help, runbooks, status, history, agents, verify, cert, inspect, watch. */
import type { AdaptiveCard } from '@microsoft/teams-ai';
import { ALERTS_ERROR_CODES, isCodedError } from '../../core/errors';
import { RUNBOOKS } from '../../runbooks';
import type { RunRecord } from '../../store/types';
import { verifyCommand } from '../../verify/chat-commands';
import { shortId } from '../cards/elements';
import { errorCard, infoCard } from '../cards/message-cards';
import { inputFacts, inputsFromOptions } from '../inputs';
import { nextStepFor } from '../next-steps';
import type { BotServices } from '../services';
import type { ParsedCommand } from './parse';
import { COMMANDS, helpLines } from './table';

export interface HandlerInput {
  readonly command: ParsedCommand;
  readonly services: BotServices;
  /** Display name and Entra object id of the caller, as journaled. */
  readonly actor: string;
  readonly actorName: string;
  readonly conversationId: string;
}

export type CommandHandler = (input: HandlerInput) => Promise<AdaptiveCard>;

const notAvailable = (what: string) =>
  errorCard(
    `${what} is not available yet`,
    `This installation has no ${what.toLowerCase()} component yet.`,
    'Use plan, verify and status meanwhile; an update of hybridops adds it.',
  );

/** Recent runs, newest first, found through the audit log. */
export function recentRuns(services: BotServices, limit = 10): RunRecord[] {
  const ids = services.runs
    .listAudit(500)
    .filter((entry) => entry.action === 'run.started' && entry.runId)
    .map((entry) => entry.runId as string)
    .reverse();
  return [...new Set(ids)]
    .slice(0, limit)
    .map((id) => services.runs.getRun(id))
    .filter((run): run is RunRecord => run !== null);
}

export const help: CommandHandler = async () =>
  infoCard('hybridops', [
    'Mention me in the admin channel with a command. Operators plan and request; a second person, an approver, approves; then I run the steps and verify.',
    ...helpLines(COMMANDS),
  ]);

export const runbooks: CommandHandler = async () =>
  infoCard(
    'Runbooks',
    RUNBOOKS.map(
      (runbook) =>
        `**${runbook.name}** — ${runbook.title} (Exchange ${runbook.exchangeVersions})${runbook.caution ? ' · needs acknowledge=yes' : ''}`,
    ),
  );

export const status: CommandHandler = async ({ command, services }) => {
  const wanted = command.positionals[0]?.toLowerCase();
  const runs = recentRuns(services, wanted ? 200 : 10);
  if (!wanted) {
    if (runs.length === 0) return infoCard('Runs', ['No runs yet. Start with plan.']);
    return infoCard(
      'Recent runs',
      runs.map(
        (run) =>
          `**${shortId(run.id)}** ${run.runbook} · ${run.state} · ${run.createdAt.slice(0, 16).replace('T', ' ')} · by ${run.requestedBy}`,
      ),
    );
  }
  const run = runs.find((candidate) => candidate.id.startsWith(wanted));
  if (!run)
    return errorCard(
      'No such run',
      `No recent run has an id starting with ${wanted}.`,
      'Type status to list recent runs.',
    );
  const steps = services.runs.listSteps(run.id);
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

export const history: CommandHandler = async ({ services }) => {
  const entries = services.runs.listAudit(15).reverse();
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

export const agents: CommandHandler = async ({ services }) => {
  const list = services.parts.listAgents;
  if (!list) return notAvailable('The relay');
  const found = await list();
  if (found.length === 0)
    return infoCard('Relay agents', ['No agent is connected. Start the relay agent on an Exchange server.']);
  return infoCard(
    'Relay agents',
    found.map(
      (agent) =>
        `**${agent.name ?? agent.id}**${agent.host ? ` on ${agent.host}` : ''}${agent.connectedAt ? ` · connected ${agent.connectedAt}` : ''}${agent.lastSeenAt ? ` · seen ${agent.lastSeenAt}` : ''}`,
    ),
  );
};

export const verify: CommandHandler = async ({ command, services }) => {
  const org = services.org;
  const named = command.positionals[0];
  const options =
    Object.keys(command.options).length || !org
      ? command.options
      : {
          domain: org.inputs.domain,
          dc: org.inputs.dc,
          ...(org.inputs.tenantId ? { tenant: org.inputs.tenantId } : {}),
        };
  const { runbook, inputs } = inputsFromOptions(named ?? org?.runbook ?? 'teams', options);
  const { report, text } = await verifyCommand(
    runbook,
    inputs,
    { ems: services.ems, graph: services.graph, clock: services.clock },
    org?.testMailbox ? { testMailbox: org.testMailbox } : {},
  );
  const passed = report.checks.filter((check) => check.ok).length;
  return infoCard(
    `Verify: ${runbook.title}`,
    [`${passed}/${report.checks.length} checks pass.`, ...text.split('\n').slice(1)],
    inputFacts(inputs),
  );
};

export const cert: CommandHandler = async ({ services }) => {
  if (!services.parts.certificateStatus) return notAvailable('Certificate status');
  const result = await services.parts.certificateStatus();
  return infoCard(result.title, result.lines, result.facts ?? []);
};

export const inspect: CommandHandler = async ({ command, services }) => {
  if (!services.parts.inspectToken) return notAvailable('The token inspector');
  const result = await services.parts.inspectToken(command.positionals[0] ?? '');
  return infoCard(result.title, result.lines, result.facts ?? []);
};

export const watch: CommandHandler = async ({ command, services, actor }) => {
  if (!services.parts.watch) return notAvailable('Watching');
  try {
    const result = await services.parts.watch(command.positionals.join(' ') || 'status', actor);
    return infoCard(result.title, result.lines);
  } catch (error) {
    if (isCodedError(error, ...ALERTS_ERROR_CODES))
      return errorCard('watch did not change', error.message, nextStepFor(error, 'Type watch status.'));
    throw error;
  }
};
