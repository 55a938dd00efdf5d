/** Shared set-up for relay tests: a hub on a real loopback server, agents in-process or as child processes. */
import { type ChildProcess, spawn } from 'node:child_process';
import type { KeyObject } from 'node:crypto';
import { createPublicKey } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { pathToFileURL } from 'node:url';
import type { Clock } from '../../src/core/ports';
import { type AgentEvent, RelayAgent } from '../../src/relay/agent-client';
import { createAgentStore } from '../../src/relay/agent-store';
import type { JobExecutor } from '../../src/relay/executors/types';
import { attachRelayHub } from '../../src/relay/hub';
import type { RelayHub } from '../../src/relay/hub-types';
import { generateSigningKey } from '../../src/relay/signing';
import { openDatabase } from '../../src/store/database';
import { openStore } from '../../src/store/open-store';
import type { RelayRepository } from '../../src/store/relay-repository';

export const systemTime: Clock = { now: () => new Date() };

/** Resolves with the first value `check` returns that is not undefined, polling on events rather than time. */
export class EventLog<E> {
  readonly events: E[] = [];
  private waiters: (() => void)[] = [];

  push(event: E): void {
    this.events.push(event);
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** Waits (bounded) until some recorded event matches. */
  async waitFor(match: (event: E) => boolean, timeoutMs = 15_000, what = 'event'): Promise<E> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(match);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`Timed out waiting for ${what}; saw ${JSON.stringify(this.events).slice(0, 2000)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  count(match: (event: E) => boolean): number {
    return this.events.filter(match).length;
  }
}

export interface HubFixture {
  readonly server: http.Server;
  readonly hub: RelayHub;
  readonly store: RelayRepository;
  readonly signingKey: KeyObject;
  readonly url: string;
  readonly warnings: string[];
  close(): Promise<void>;
}

/** A hub on http://127.0.0.1:<free port>/relay with an in-memory (or given) database. */
export async function startHub(
  options: { dbFile?: string; signingKey?: KeyObject; heartbeatMs?: number } = {},
): Promise<HubFixture> {
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  const opened = await openStore(options.dbFile ?? ':memory:');
  const store = opened.relay;
  const signingKey = options.signingKey ?? generateSigningKey();
  const warnings: string[] = [];
  const hub = await attachRelayHub(server, {
    store,
    signingKey,
    clock: systemTime,
    logger: {
      info: () => undefined,
      warn: (obj: unknown, msg?: string) => warnings.push(`${msg} ${JSON.stringify(obj)}`),
    } as never,
    ...(options.heartbeatMs ? { heartbeatMs: options.heartbeatMs } : {}),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    hub,
    store,
    signingKey,
    url: `ws://127.0.0.1:${port}/relay`,
    warnings,
    async close() {
      await hub.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await opened.close();
    },
  };
}

export interface AgentFixture {
  readonly agent: RelayAgent;
  readonly log: EventLog<AgentEvent>;
  stop(): Promise<void>;
}

/** A real agent in this process, talking to `hubUrl` over a loopback WebSocket. */
export function startAgent(options: {
  hubUrl: string;
  agentId: string;
  secret: string;
  botKey: KeyObject;
  executor: JobExecutor;
  clock?: Clock;
  storeFile?: string;
}): AgentFixture {
  const log = new EventLog<AgentEvent>();
  const agent = new RelayAgent({
    hubUrl: options.hubUrl,
    agentId: options.agentId,
    secret: options.secret,
    botPublicKey: createPublicKey(options.botKey),
    executor: options.executor,
    store: createAgentStore(openDatabase(options.storeFile ?? ':memory:')),
    ...(options.clock ? { clock: options.clock } : {}),
    backoff: { initialMs: 20, maxMs: 200 },
    onEvent: (event) => log.push(event),
  });
  agent.start();
  return { agent, log, stop: () => agent.stop(1_000) };
}

const ROOT = path.resolve(__dirname, '../..');
// node itself with tsx's hooks (what the tsx wrapper would spawn), so a SIGKILL reaches the process that does the work.
const TSX_HOOKS = [
  '--require',
  path.join(ROOT, 'node_modules', 'tsx', 'dist', 'preflight.cjs'),
  '--import',
  pathToFileURL(path.join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href,
];

export interface ChildFixture<E> {
  readonly child: ChildProcess;
  readonly log: EventLog<E>;
  readonly stderr: string[];
  readonly exited: Promise<number | null>;
}

/** Runs a TypeScript entry point as a real child process; each JSON line on its stdout is an event. */
export function spawnTs<E>(script: string, args: string[], env?: NodeJS.ProcessEnv): ChildFixture<E> {
  return spawnChild([...TSX_HOOKS, path.join(ROOT, script), ...args], ROOT, { ...process.env, ...env });
}

/** Runs a built JavaScript file (e.g. the bundled agent) with node in `cwd`; JSON lines on stdout are events. */
export function spawnNode<E>(script: string, args: string[], cwd: string): ChildFixture<E> {
  return spawnChild([script, ...args], cwd);
}

function spawnChild<E>(argv: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): ChildFixture<E> {
  const child = spawn(process.execPath, argv, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = new EventLog<E>();
  const stderr: string[] = [];
  readline.createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    try {
      log.push(JSON.parse(line) as E);
    } catch {
      stderr.push(`stdout: ${line}`);
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, log, stderr, exited };
}

/** SIGKILLs a child and waits until it is gone. */
export async function kill(fixture: ChildFixture<unknown>): Promise<void> {
  if (fixture.child.exitCode === null && fixture.child.signalCode === null) fixture.child.kill('SIGKILL');
  await fixture.exited;
}
