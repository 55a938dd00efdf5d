/** The hybridops command line: the same plan, apply, verify and history as the bot, from a terminal. */
import { loadConfig } from '../config/load-config';
import { CodedError } from '../core/errors';
import { systemClock } from '../core/ports';
import { parseCommandLine } from '../exchange/parse';
import { refuseLockedLabFile } from '../lab/lab-lock';
import { type LabSession, openLabSession } from '../lab/lab-session';
import { RUNBOOKS } from '../runbooks';
import { openStore } from '../store/open-store';
import { verifyRunbook } from '../verify/verify-runbook';
import { runAgentsCommand } from './agents';
import { type CliOptions, integer, parseCli, required, USAGE } from './args';
import { exitCodeFor, messageFor } from './exit-codes';
import { formatAudit, formatChecks } from './format';
import { inspectTokenCli } from './inspect-token';
import type { CliIo } from './io';
import { labInit } from './lab-init';
import { type OrgTarget, openOrgTarget } from './org-target';
import { runOrgsCommand } from './orgs';
import { applyCommand, planCommand, runbookAndInputs } from './plan-apply';

export type { CliIo } from './io';

const defaultIo: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
  clock: systemClock,
};

/** Runs one CLI invocation and returns its exit code: 0 success, 1 failure while working, 2 bad request. */
export async function runCli(argv: string[], io: CliIo = defaultIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    io.err(messageFor(error));
    return exitCodeFor(error);
  }
}

/** How many words each command takes before its options, its own name included (`lab exec` checks its own). */
const WORDS: Readonly<Record<string, number>> = {
  runbooks: 1,
  plan: 1,
  apply: 1,
  verify: 1,
  history: 1,
  'inspect-token': 2,
  agents: 2,
  orgs: 2,
  lab: 2,
};

/** Refuses a word the command does not take: an `apply … extra` must not run as if `extra` were not there. */
function refuseExtraWords(positionals: readonly string[]): void {
  const [command, sub] = positionals;
  if (!command || (command === 'lab' && sub === 'exec')) return;
  const words = WORDS[command];
  const extra = words === undefined ? undefined : positionals[words];
  if (extra !== undefined) {
    const name = positionals.slice(0, words).join(' ');
    throw new CodedError(
      'USAGE',
      `"${name}" takes no argument "${extra}"; its options start with --. Run "hybridops help" for usage.`,
    );
  }
}

async function dispatch(argv: string[], io: CliIo): Promise<number> {
  const { positionals, options } = parseCli(argv);
  const [command, sub, ...rest] = positionals;
  if (!command || command === 'help' || options.help) {
    io.out(USAGE);
    return command || options.help ? 0 : 2;
  }
  refuseExtraWords(positionals);
  switch (command) {
    case 'runbooks':
      return listRunbooks(options, io);
    case 'lab':
      if (sub === 'init') return labInit(options, io);
      if (sub === 'exec') return labExec(options, rest, io);
      throw new CodedError('USAGE', `Unknown lab command "${sub ?? ''}": use "lab init" or "lab exec".`);
    case 'plan':
      return withOrg(options, io, (org) => planCommand(options, org, io));
    case 'apply':
      return withOrg(options, io, (org) => applyCommand(options, org, io));
    case 'verify':
      return withOrg(options, io, (org) => verify(options, org, io));
    case 'inspect-token':
      return inspectTokenCli(sub, options, io);
    case 'history':
      return history(options, io);
    case 'agents':
      return runAgentsCommand(sub, options, loadConfig(io.env), io);
    case 'orgs':
      return runOrgsCommand(sub, options, io);
    default:
      throw new CodedError('USAGE', `Unknown command "${command}". Run "hybridops help" for usage.`);
  }
}

function listRunbooks(options: CliOptions, io: CliIo): number {
  if (options.json) {
    io.out(
      JSON.stringify(
        RUNBOOKS.map((r) => ({
          name: r.name,
          title: r.title,
          source: r.source,
          exchangeVersions: r.exchangeVersions,
        })),
      ),
    );
  } else {
    for (const runbook of RUNBOOKS)
      io.out(`${runbook.name.padEnd(18)} ${runbook.title}\n${' '.repeat(19)}${runbook.source}`);
  }
  return 0;
}

async function labExec(options: CliOptions, rest: string[], io: CliIo): Promise<number> {
  const file = required(options, 'lab');
  if (rest.length !== 1)
    throw new CodedError(
      'USAGE',
      "lab exec takes exactly one quoted command, e.g. 'Get-PartnerApplication'.",
    );
  const command = parseCommandLine(rest[0] ?? '');
  return withLab(
    options,
    io,
    async (lab) => {
      const result = await lab.exchange.execute(command);
      if (!result.ok) {
        io.err(`${command.cmdlet}: ${result.error.message}`);
        return 1;
      }
      io.out(JSON.stringify(result.output, null, 2));
      return 0;
    },
    file,
  );
}

async function withLab(
  options: CliOptions,
  io: CliIo,
  work: (lab: LabSession) => Promise<number>,
  file = required(options, 'lab'),
): Promise<number> {
  refuseLockedLabFile(file);
  const lab = await openLabSession(file, io.clock);
  try {
    return await work(lab);
  } finally {
    await lab.close();
  }
}

async function withOrg(
  options: CliOptions,
  io: CliIo,
  work: (org: OrgTarget) => Promise<number>,
): Promise<number> {
  const org = await openOrgTarget(options, io.env, io.clock, io.err);
  try {
    return await work(org);
  } finally {
    await org.close();
  }
}

async function verify(options: CliOptions, org: OrgTarget, io: CliIo): Promise<number> {
  const { runbook, inputs: given } = runbookAndInputs(
    options,
    {
      ...(org.lab?.org.domain ? { domain: org.lab.org.domain } : {}),
      ...(org.lab?.org.domainControllers[0] ? { dc: org.lab.org.domainControllers[0] } : {}),
    },
    org,
  );
  // The lab knows its tenant and a real org's Graph credential names it, so the realm checks run even
  // when --tenant-id is not given.
  const tenantId = given.tenantId ?? org.lab?.tenant.tenantId ?? org.tenantId ?? undefined;
  const inputs = tenantId ? { ...given, tenantId } : given;
  const mailbox = options.mailbox ?? org.entry?.testMailbox;
  const checks = await verifyRunbook(
    runbook,
    inputs,
    { ems: org.ems, graph: org.graph, clock: io.clock },
    mailbox ? { testMailbox: mailbox } : {},
  );
  io.out(
    options.json
      ? JSON.stringify({
          runbook: runbook.name,
          checks: checks.map(({ id, ok, detail, title, fix, fixRunbook }) => ({
            id,
            ok,
            detail,
            title,
            fix,
            fixRunbook,
          })),
        })
      : formatChecks(checks),
  );
  return checks.every((check) => check.ok) ? 0 : 1;
}

async function history(options: CliOptions, io: CliIo): Promise<number> {
  const limit = integer(options.limit, 'limit', 200);
  const store = await openStore(loadConfig(io.env).dbPath);
  try {
    const entries = await store.runs.listAudit(limit);
    io.out(options.json ? JSON.stringify(entries) : formatAudit(entries));
    return 0;
  } finally {
    await store.close();
  }
}
