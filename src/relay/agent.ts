/**
 * The on-prem relay agent: `npm run agent -- --hub URL --id ID --key-file FILE [--executor …]` from a checkout,
 * `node hybridops-agent.js …` as built by `npm run build` (dist/agent/, what the installer puts on Exchange).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import closeWithGrace from 'close-with-grace';
import { CodedError, errorMessage } from '../core/errors';
import { systemClock } from '../core/ports';
import { type AgentEvent, RelayAgent } from './agent-client';
import { checkHubUrl } from './agent-connection';
import { openAgentLog } from './agent-log';
import { openAgentStore } from './agent-store';
import { noopExecutor } from './executors/noop';
import { powershellExecutor } from './executors/powershell';
import type { JobExecutor } from './executors/types';
import { readAgentKeyFile } from './key-file';

/** How this agent was started: the bundle by its file name, a checkout through npm. */
function command(): string {
  const script = path.basename(process.argv[1] ?? '');
  return script.endsWith('.js') ? `node ${script}` : 'npm run agent --';
}

const USAGE = `Usage: ${command()} --hub wss://BOT/relay --id ID --key-file FILE [--state FILE]
       [--executor powershell [--exchange local|remote --connection-uri URI] | --executor lab --lab FILE]
       [--log-file FILE]   the rotating log (default logs/ID.log beside the key file); --log-file none for none
       [--events]          print what the agent does as JSON lines on stdout
  Lab only: --executor powershell --exchange lab [--lab FILE]   pwsh with the HybridOps.Lab module instead of
       Exchange, on the lab file (served by this agent) or on the endpoint in HYBRIDOPS_LAB_URL/HYBRIDOPS_LAB_SECRET`;

/** The environment that names a running lab module endpoint for `--exchange lab` without `--lab`. */
export const LAB_ENDPOINT_ENV = ['HYBRIDOPS_LAB_URL', 'HYBRIDOPS_LAB_SECRET'] as const;

/** Thrown for --help: the usage is the whole answer. */
export class UsageRequested extends Error {
  constructor() {
    super(USAGE);
  }
}

/** Parses the agent's command line; throws BAD_AGENT_OPTIONS with the usage. */
export function parseAgentArgs(argv: string[]) {
  let values: ReturnType<typeof parseAgentOptions>;
  try {
    values = parseAgentOptions(argv);
  } catch (error) {
    throw new CodedError('BAD_AGENT_OPTIONS', `${errorMessage(error)}\n${USAGE}`);
  }
  if (values.help) throw new UsageRequested();
  if (!values['key-file']) throw new CodedError('BAD_AGENT_OPTIONS', `--key-file is required.\n${USAGE}`);
  return values;
}

function parseAgentOptions(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    options: {
      hub: { type: 'string' },
      id: { type: 'string' },
      'key-file': { type: 'string' },
      state: { type: 'string' },
      executor: { type: 'string', default: 'powershell' },
      lab: { type: 'string' },
      exchange: { type: 'string', default: 'local' },
      'connection-uri': { type: 'string' },
      events: { type: 'boolean', default: false },
      'log-file': { type: 'string' },
      help: { type: 'boolean', default: false },
      'heartbeat-ms': { type: 'string' },
      'backoff-ms': { type: 'string' },
    },
  }).values;
}

async function executorFor(
  options: ReturnType<typeof parseAgentArgs>,
  env: NodeJS.ProcessEnv,
  announce: (text: string) => void,
): Promise<JobExecutor> {
  switch (options.executor) {
    case 'lab': {
      if (!options.lab)
        throw new CodedError('BAD_AGENT_OPTIONS', `--executor lab needs --lab FILE.\n${USAGE}`);
      // Loaded only when chosen: an agent next to a real Exchange never loads the simulated org.
      const { labFileExecutor } = await import('../lab/relay-executor');
      return labFileExecutor(options.lab, systemClock);
    }
    case 'noop':
      return noopExecutor();
    case 'powershell':
      if (options.exchange === 'lab') return labModuleExecutorFor(options, env, announce);
      if (options.exchange !== 'local' && options.exchange !== 'remote') {
        throw new CodedError(
          'BAD_AGENT_OPTIONS',
          `--exchange must be local or remote (or lab, for the lab), not "${options.exchange}".\n${USAGE}`,
        );
      }
      if (options.lab) {
        throw new CodedError(
          'BAD_AGENT_OPTIONS',
          `--lab FILE is for --executor lab or --exchange lab.\n${USAGE}`,
        );
      }
      return powershellExecutor({
        exchange: options.exchange,
        ...(options['connection-uri'] ? { connectionUri: options['connection-uri'] } : {}),
      });
    default:
      throw new CodedError('BAD_AGENT_OPTIONS', `Unknown executor "${options.executor}".\n${USAGE}`);
  }
}

/** pwsh with HybridOps.Lab instead of Exchange: lab only, and said so on stderr. */
async function labModuleExecutorFor(
  options: ReturnType<typeof parseAgentArgs>,
  env: NodeJS.ProcessEnv,
  announce: (text: string) => void,
): Promise<JobExecutor> {
  const [urlName, secretName] = LAB_ENDPOINT_ENV;
  const url = env[urlName];
  const secret = env[secretName];
  if (!options.lab && !(url && secret)) {
    throw new CodedError(
      'BAD_AGENT_OPTIONS',
      `--exchange lab needs --lab FILE, or ${urlName} and ${secretName} naming a running lab module endpoint.\n${USAGE}`,
    );
  }
  // Loaded only when chosen, as for --executor lab.
  const lab = await import('../lab/module-executor');
  if (options.lab) {
    const executor = await lab.labFileModuleExecutor(options.lab, systemClock);
    announce(
      `Exchange is the lab module HybridOps.Lab on the lab file ${path.resolve(options.lab)} (served at ${executor.endpointUrl}), not Exchange.`,
    );
    return executor;
  }
  announce(`Exchange is the lab module HybridOps.Lab at ${url} (${urlName}), not Exchange.`);
  return lab.labEndpointModuleExecutor(url as string, secret as string);
}

/** Starts the agent from argv and stops it gracefully on SIGINT/SIGTERM. */
export async function main(argv: string[]): Promise<RelayAgent> {
  const options = parseAgentArgs(argv);
  const keyFile = options['key-file'] as string;
  const key = readAgentKeyFile(keyFile);
  const agentId = options.id ?? key.agentId;
  if (agentId !== key.agentId) {
    throw new CodedError(
      'BAD_AGENT_OPTIONS',
      `--id ${agentId} does not match the key file's agent ${key.agentId}.`,
    );
  }
  const hubUrl = options.hub ?? key.hubUrl;
  if (!hubUrl) throw new CodedError('BAD_AGENT_OPTIONS', `--hub is required.\n${USAGE}`);
  checkHubUrl(hubUrl); // before the journal or a shell is opened
  const statePath = options.state ?? path.join(path.dirname(path.resolve(keyFile)), `${agentId}.agent.db`);
  const events = options.events;
  const logFile =
    options['log-file'] ?? path.join(path.dirname(path.resolve(keyFile)), 'logs', `${agentId}.log`);
  const agentLog = await openAgentLog({ agentId, logFile: logFile === 'none' ? null : logFile });
  const log = (event: AgentEvent) => {
    if (events) process.stdout.write(`${JSON.stringify(event)}\n`);
    agentLog.event(event);
  };
  const backoff = Number(options['backoff-ms'] ?? 500);
  // An executor that cannot start (bad options, no shell) must not leave the log file open behind it.
  const executor = await executorFor(options, process.env, (text) =>
    process.stderr.write(`relay agent ${agentId}: ${text}\n`),
  ).catch(async (error: unknown) => {
    await agentLog.close();
    throw error;
  });
  const agent = new RelayAgent({
    hubUrl,
    agentId,
    secret: key.secret,
    botPublicKey: key.publicKey,
    executor,
    store: openAgentStore(statePath),
    onEvent: log,
    backoff: { initialMs: backoff, maxMs: Math.max(backoff, 30_000) },
    ...(options['heartbeat-ms'] ? { heartbeatMs: Number(options['heartbeat-ms']) } : {}),
  });
  agent.start();
  agentLog.logger.info({ hubUrl, statePath, executor: options.executor }, 'relay agent started');
  // A stop signal (the Windows service stopping, Ctrl+C) or a crash: finish the job in hand, then exit.
  const stopped = (error: unknown) => {
    agentLog.logger.error({ err: error }, 'relay agent did not stop cleanly');
    process.stderr.write(`relay agent: ${errorMessage(error)}\n`);
  };
  closeWithGrace({ delay: 30_000, logger: { error: stopped } }, async ({ err }) => {
    if (err) agentLog.logger.fatal({ err }, 'relay agent stopping after an unhandled error');
    await agent.stop();
    agentLog.logger.info('relay agent stopped');
    await agentLog.close();
  });
  return agent;
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    if (error instanceof UsageRequested) {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    process.stderr.write(`relay agent: ${errorMessage(error)}\n`);
    process.exit(2);
  });
}
