/** The hybridops command line: the same plan, apply, verify and history as the bot, from a terminal. */
import path from 'node:path';
import { loadConfig } from '../config/load-config';
import { createLogger } from '../config/logger';
import { CodedError } from '../core/errors';
import { type Clock, systemClock } from '../core/ports';
import { applyRunbook } from '../engine/apply';
import { planRunbook } from '../engine/planner';
import { parseCommandLine } from '../exchange/parse';
import { createLabState } from '../lab/init';
import { createLabFile } from '../lab/lab-file';
import { type LabSession, openLabSession } from '../lab/lab-session';
import { getRunbook, RUNBOOKS, validateInputs } from '../runbooks';
import { openStore } from '../store/open-store';
import { verifyRunbook } from '../verify/verify-runbook';
import { runAgentsCommand } from './agents';
import { type CliOptions, integer, parseCli, required, USAGE } from './args';
import { exitCodeFor, messageFor } from './exit-codes';
import { formatApply, formatAudit, formatChecks, formatPlan, formatProgress } from './format';
import { inspectTokenCli } from './inspect-token';

export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly clock: Clock;
}

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

async function dispatch(argv: string[], io: CliIo): Promise<number> {
  const { positionals, options } = parseCli(argv);
  const [command, sub, ...rest] = positionals;
  if (!command || command === 'help' || options.help) {
    io.out(USAGE);
    return command || options.help ? 0 : 2;
  }
  switch (command) {
    case 'runbooks':
      return listRunbooks(options, io);
    case 'lab':
      if (sub === 'init') return labInit(options, io);
      if (sub === 'exec') return labExec(options, rest, io);
      throw new CodedError('USAGE', `Unknown lab command "${sub ?? ''}": use "lab init" or "lab exec".`);
    case 'plan':
      return withLab(options, io, (lab) => plan(options, lab, io));
    case 'apply':
      return withLab(options, io, (lab) => apply(options, lab, io));
    case 'verify':
      return withLab(options, io, (lab) => verify(options, lab, io));
    case 'inspect-token':
      return inspectTokenCli(sub, options, io);
    case 'history':
      return history(options, io);
    case 'agents':
      return runAgentsCommand(sub, options, loadConfig(io.env), io);
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

async function labInit(options: CliOptions, io: CliIo): Promise<number> {
  const out = required(options, 'out');
  const state = await createLabState({
    ...(options.domain ? { domain: options.domain } : {}),
    ...(options['tenant-id'] ? { tenantId: options['tenant-id'] } : {}),
    certDays: integer(options['cert-days'], 'cert-days', 1825),
    latencyMs: integer(options['latency-ms'], 'latency-ms', 0),
    hybridOAuth: !options['no-hybrid-oauth'],
    rejectsApplicationAccount: Boolean(options['rejects-application-account']),
    now: io.clock.now(),
  });
  createLabFile(out, state, { overwrite: Boolean(options.force) });
  const summary = {
    file: path.resolve(out),
    domain: state.org.domain,
    tenantId: state.tenant.tenantId,
    domainController: state.org.domainControllers[0],
    authCertificate: state.org.authConfig.currentCertificateThumbprint,
  };
  io.out(
    options.json
      ? JSON.stringify(summary)
      : `Created lab org ${summary.domain} (tenant ${summary.tenantId}) in ${summary.file}\nDomain controller: ${summary.domainController}\nAuth certificate: ${summary.authCertificate}`,
  );
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
  const lab = await openLabSession(file, io.clock);
  try {
    return await work(lab);
  } finally {
    await lab.close();
  }
}

function runbookAndInputs(options: CliOptions, lab?: LabSession) {
  const runbook = getRunbook(required(options, 'runbook'));
  const inputs = validateInputs(runbook, {
    domain: options.domain ?? lab?.state.org.domain,
    dc: options.dc ?? lab?.state.org.domainControllers[0],
    ...(options['tenant-id'] ? { tenantId: options['tenant-id'] } : {}),
    applicationAccount: !options['no-application-account'],
    acknowledged: Boolean(options['acknowledge-caution']),
  });
  return { runbook, inputs };
}

async function plan(options: CliOptions, lab: LabSession, io: CliIo): Promise<number> {
  const { runbook, inputs } = runbookAndInputs(options);
  const { plan } = await planRunbook(runbook, inputs, { ems: lab.ems, graph: lab.graph, clock: io.clock });
  if (options.json) {
    io.out(
      JSON.stringify({
        runbook: plan.runbook,
        hash: plan.hash,
        caution: plan.caution,
        notes: plan.notes,
        steps: plan.steps.map(({ id, title, target, change, command, warnings, detail }) => ({
          id,
          title,
          target,
          change,
          command,
          warnings,
          detail,
        })),
      }),
    );
  } else {
    io.out(formatPlan(plan));
  }
  return 0;
}

async function apply(options: CliOptions, lab: LabSession, io: CliIo): Promise<number> {
  const { runbook, inputs } = runbookAndInputs(options);
  if (!options.yes) throw new CodedError('USAGE', 'apply changes the org: review the plan, then add --yes.');
  const config = loadConfig(io.env);
  const logger = createLogger(config.logLevel);
  const store = await openStore(config.dbPath, { logger });
  try {
    const result = await applyRunbook(
      {
        runbook,
        inputs,
        target: `lab:${path.resolve(required(options, 'lab'))}`,
        requestedBy: config.actor,
        approvedBy: null,
        onProgress: (event) => {
          const line = options.json ? null : formatProgress(event);
          if (line) io.err(line);
        },
      },
      {
        ems: lab.ems,
        graph: lab.graph,
        clock: io.clock,
        store: store.runs,
        logger: logger.child({ runbook: runbook.name }),
      },
    );
    io.out(options.json ? JSON.stringify(result) : formatApply(result));
    return result.state === 'succeeded' ? 0 : 1;
  } finally {
    await store.close();
  }
}

async function verify(options: CliOptions, lab: LabSession, io: CliIo): Promise<number> {
  const { runbook, inputs: given } = runbookAndInputs(options, lab);
  // The lab knows its tenant, so the realm checks run even when --tenant-id is not given.
  const inputs = given.tenantId ? given : { ...given, tenantId: lab.state.tenant.tenantId };
  const checks = await verifyRunbook(
    runbook,
    inputs,
    { ems: lab.ems, graph: lab.graph, clock: io.clock },
    options.mailbox ? { testMailbox: options.mailbox } : {},
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
