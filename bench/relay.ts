/**
 * Relay benchmarks: a job's round trip through hub and agent against its floor (a raw ws echo plus the
 * protocol's irreducible work inline), throughput with 50 jobs in flight, a teams plan over a 50 ms link,
 * and the hub's memory with 1,000 connected agents.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createPublicKey, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { WebSocket, WebSocketServer } from 'ws';
import type { EmsCommand } from '../src/core/ems';
import { planRunbook } from '../src/engine/planner';
import { createLabState } from '../src/lab/init';
import { createLabFile } from '../src/lab/lab-file';
import { openLabSession } from '../src/lab/lab-session';
import { labExecutor } from '../src/lab/relay-executor';
import { registerAgent } from '../src/relay/agent-registry';
import { type AgentStore, openAgentStore } from '../src/relay/agent-store';
import { RelayEmsRunner } from '../src/relay/ems-runner';
import { noopExecutor } from '../src/relay/executors/noop';
import { attachRelayHub } from '../src/relay/hub';
import { PROTOCOL_VERSION, type ResultMessage } from '../src/relay/protocol';
import { generateSigningKey, signPayload, verifyPayload } from '../src/relay/signing';
import { getRunbook, validateInputs } from '../src/runbooks';
import { openDatabase } from '../src/store/database';
import { openStore } from '../src/store/open-store';
import { figuresOf, TSX_HOOKS } from './fork-ts';
import { type BenchFigure, limitFigure, median, ratioFigure } from './harness';
import { slowLink, startRelay } from './relay-fixtures';

const clock = { now: () => new Date() };
const PROBE: EmsCommand = { cmdlet: 'Get-AuthConfig', params: {} };

/**
 * The hub's two durable writes per job as single prepared SQLite statements, on the store's own tables: the
 * least a job can cost on the hub's side.
 */
async function floorHubWrites(file: string) {
  await (await openStore(file)).close();
  const db = openDatabase(file);
  const insert = db.prepare(
    `INSERT INTO relay_jobs (job_id, agent_id, run_id, step_id, mode, payload, signature, state, created_at, expires_at)
     VALUES (?, 'floor', NULL, NULL, 'single', ?, ?, 'dispatched', ?, ?)`,
  );
  const resolve = db.prepare(
    `UPDATE relay_jobs SET state = 'resolved', status = ?, outcome = ?, resolved_at = ?
     WHERE job_id = ? AND agent_id = 'floor' AND state != 'resolved'`,
  );
  return {
    insertJob: (jobId: string, payload: string, signature: string, at: string, expiresAt: number) =>
      insert.run(jobId, payload, signature, at, expiresAt),
    recordResult: (jobId: string, status: string, outcome: string, at: string) =>
      resolve.run(status, outcome, at, jobId),
    close: () => db.close(),
  };
}

/** The floor: one ws echo per job, plus one sign, one verify and the same durable writes the protocol makes. */
async function startFloor(dir: string) {
  const hubStore = await floorHubWrites(path.join(dir, 'floor-hub.db'));
  const agentStore: AgentStore = openAgentStore(path.join(dir, 'floor-agent.db'));
  const key = generateSigningKey();
  const publicKey = createPublicKey(key);
  const server = http.createServer();
  const wss = new WebSocketServer({ server });
  wss.on('connection', (ws) => {
    ws.on('message', (data) => {
      const { payload, signature } = JSON.parse(String(data)) as { payload: string; signature: string };
      if (!verifyPayload(publicKey, payload, signature)) throw new Error('floor: bad signature');
      const job = JSON.parse(payload) as { jobId: string; nonce: string; expiresAt: number };
      agentStore.beginJob({
        jobId: job.jobId,
        nonce: job.nonce,
        expiresAt: job.expiresAt,
        mode: 'single',
        commands: [PROBE],
      });
      const result: ResultMessage = {
        v: PROTOCOL_VERSION,
        type: 'result',
        jobId: job.jobId,
        status: 'succeeded',
        results: [{ ok: true, output: [] }],
        error: null,
        durationMs: 0,
      };
      const frame = JSON.stringify(result);
      agentStore.finishJob({ jobId: job.jobId, status: 'succeeded', frame });
      ws.send(frame);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const ws = new WebSocket(`ws://127.0.0.1:${(server.address() as net.AddressInfo).port}`);
  await new Promise((resolve) => ws.once('open', resolve));
  const waiting = new Map<string, () => void>();
  ws.on('message', (data) => {
    const result = JSON.parse(String(data)) as { jobId: string; status: 'succeeded' };
    hubStore.recordResult(result.jobId, result.status, String(data), new Date().toISOString());
    agentStore.markAcked(result.jobId);
    waiting.get(result.jobId)?.();
    waiting.delete(result.jobId);
  });
  return {
    roundTrip(): Promise<void> {
      const now = Date.now();
      const job = {
        jobId: randomUUID(),
        agentId: 'floor',
        commands: [PROBE],
        expiresAt: now + 30_000,
        nonce: randomBytes(18).toString('base64url'),
      };
      const payload = JSON.stringify(job);
      const signature = signPayload(key, payload);
      hubStore.insertJob(job.jobId, payload, signature, new Date(now).toISOString(), job.expiresAt);
      return new Promise<void>((resolve) => {
        waiting.set(job.jobId, resolve);
        ws.send(JSON.stringify({ payload, signature }));
      });
    },
    async close() {
      ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      hubStore.close();
    },
  };
}

async function timeEach(count: number, work: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const start = process.hrtime.bigint();
    await work();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(samples);
}

/**
 * Medians of `a` and `b`, run in alternating blocks so that both see the same machine (other load, WAL
 * checkpoints) while work one side defers to the next turn stays on its own side.
 */
async function timePaired(
  count: number,
  a: () => Promise<unknown>,
  b: () => Promise<unknown>,
): Promise<[number, number]> {
  const block = 50;
  const samples: [number[], number[]] = [[], []];
  for (let done = 0; done < count; done += block) {
    for (const [index, work] of [a, b].entries()) {
      for (let i = 0; i < block; i += 1) {
        const start = process.hrtime.bigint();
        await work();
        samples[index]?.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
    }
  }
  return [median(samples[0]), median(samples[1])];
}

/** Wall time per job with `inFlight` concurrent loops running `total` jobs. */
async function timePerJob(total: number, inFlight: number, work: () => Promise<unknown>): Promise<number> {
  let left = total;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (left > 0) {
        left -= 1;
        await work();
      }
    }),
  );
  return Number(process.hrtime.bigint() - start) / 1e6 / total;
}

async function benchRoundTrips(dir: string): Promise<BenchFigure[]> {
  const relay = await startRelay(dir);
  const floor = await startFloor(fs.mkdtempSync(path.join(dir, 'floor-')));
  try {
    await relay.startAgent(noopExecutor());
    const ems = new RelayEmsRunner(relay.hub, { agentId: 'ex1' });
    const viaRelay = () => ems.run(PROBE);
    await timePaired(300, viaRelay, floor.roundTrip);
    const [relayMs, floorMs] = await timePaired(2_000, viaRelay, floor.roundTrip);
    const relayPerJob = await timePerJob(3_000, 50, viaRelay);
    const floorPerJob = await timePerJob(3_000, 50, floor.roundTrip);
    return [
      ratioFigure(
        'relay: job round trip (no-op executor) vs ws echo + sign/verify + writes',
        'ms',
        relayMs,
        floorMs,
        1.5,
      ),
      ratioFigure(
        `relay: 50 jobs in flight, ${Math.round(1000 / relayPerJob)} jobs/s (time per job vs floor)`,
        'ms',
        relayPerJob,
        floorPerJob,
        2,
      ),
    ];
  } finally {
    await floor.close();
    await relay.close();
  }
}

async function benchSlowLinkPlan(dir: string): Promise<BenchFigure> {
  const labFile = path.join(dir, 'lab.json');
  createLabFile(labFile, await createLabState({ now: clock.now(), domain: 'contoso.com' }), {
    overwrite: true,
  });
  const lab = await openLabSession(labFile, clock);
  const relay = await startRelay(dir);
  const link = await slowLink(relay.port, 25);
  try {
    const runbook = getRunbook('teams');
    const inputs = validateInputs(runbook, { domain: 'contoso.com', dc: 'dc01.contoso.com' });
    await relay.startAgent(labExecutor(lab.exchange));
    await relay.startAgent(labExecutor(lab.exchange), `ws://127.0.0.1:${link.port}/relay`);
    const plan = (agentId: string) => () =>
      planRunbook(runbook, inputs, {
        ems: new RelayEmsRunner(relay.hub, { agentId }),
        graph: lab.graph,
        clock,
      });
    await timeEach(3, plan('ex1'));
    await timeEach(3, plan('ex2'));
    const direct = await timeEach(9, plan('ex1'));
    const slow = await timeEach(9, plan('ex2'));
    // The EMS read job and the Graph $batch are in flight together: one round trip, plus the link's noise.
    return ratioFigure(
      'relay: teams plan over a 50 ms link, added delay (× one round trip)',
      'ms',
      Math.max(0, slow - direct),
      50,
      1.2,
    );
  } finally {
    await link.close();
    await relay.close();
    await lab.close();
  }
}

/** Hub memory with `agentCount` agents (RSS goal in MB), measured in its own process so that the clients don't count. */
export async function benchHubMemory(dir: string, agentCount = 1_000, goalMb = 256): Promise<BenchFigure> {
  const dbFile = path.join(dir, 'memory-hub.db');
  const store = await openStore(dbFile);
  const secrets: string[] = [];
  for (let i = 0; i < agentCount; i += 1)
    secrets.push(await registerAgent(store.relay, `agent-${i}`, new Date().toISOString()));
  await store.close();
  const child: ChildProcess = spawn(
    process.execPath,
    ['--expose-gc', ...TSX_HOOKS, __filename, '--hub-child', dbFile, String(agentCount)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines = readline.createInterface({ input: child.stdout as NodeJS.ReadableStream });
  // Each report has a deadline, so a hub that never sees every agent fails the bench instead of hanging it.
  const next = (what: string, withinMs: number) =>
    new Promise<{ port?: number; rssMb?: number }>((resolve, reject) => {
      const timer = setTimeout(() => {
        lines.off('line', onLine);
        reject(new Error(`the hub did not report ${what} within ${withinMs / 1000} s`));
      }, withinMs);
      const onLine = (line: string) => {
        clearTimeout(timer);
        resolve(JSON.parse(line));
      };
      lines.once('line', onLine);
    });
  const clients: WebSocket[] = [];
  try {
    const { port } = await next('its port', 60_000);
    for (let i = 0; i < agentCount; i += 1) {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/relay`, {
        headers: { authorization: `Bearer ${secrets[i]}`, 'x-hybridops-agent': `agent-${i}` },
      });
      ws.on('open', () =>
        ws.send(
          JSON.stringify({
            v: PROTOCOL_VERSION,
            type: 'hello',
            agentId: `agent-${i}`,
            version: 'bench',
            capabilities: ['noop'],
            inFlight: [],
          }),
        ),
      );
      ws.on('error', () => undefined);
      clients.push(ws);
    }
    const { rssMb } = await next(`${agentCount} connected agents`, 60_000 + agentCount * 40);
    return limitFigure(
      `relay: hub RSS with ${agentCount} connected agents`,
      'MB',
      rssMb ?? Number.NaN,
      goalMb,
    );
  } finally {
    for (const ws of clients) ws.terminate();
    child.kill('SIGKILL');
  }
}

async function hubChild(dbFile: string, agentCount: number): Promise<void> {
  const server = http.createServer();
  const store = await openStore(dbFile);
  const hub = await attachRelayHub(server, {
    store: store.relay,
    signingKey: generateSigningKey(),
    clock,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.stdout.write(`${JSON.stringify({ port: (server.address() as net.AddressInfo).port })}\n`);
  const poll = setInterval(() => {
    const connected = Array.from({ length: agentCount }, (_, i) => hub.isConnected(`agent-${i}`));
    if (connected.filter(Boolean).length < agentCount) return;
    clearInterval(poll);
    (globalThis as { gc?: () => void }).gc?.();
    process.stdout.write(`${JSON.stringify({ rssMb: process.memoryUsage().rss / 2 ** 20 })}\n`);
  }, 200);
}

/**
 * Round trips are measured in a process of their own: sub-millisecond medians are otherwise skewed by the
 * garbage the benchmarks before them left on the heap.
 */
function roundTripsInFreshProcess(dir: string): Promise<BenchFigure[]> {
  return figuresOf<BenchFigure>(__filename, ['--round-trips-child', dir]);
}

/** Every relay figure. */
export async function benchRelay(): Promise<BenchFigure[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hybridops-bench-relay-'));
  try {
    return [
      ...(await roundTripsInFreshProcess(dir)),
      await benchSlowLinkPlan(dir),
      await benchHubMemory(dir),
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module && process.argv[2] === '--hub-child') {
  void hubChild(process.argv[3] as string, Number(process.argv[4]));
} else if (require.main === module && process.argv[2] === '--round-trips-child') {
  benchRoundTrips(process.argv[3] as string).then(
    // The parent (figuresOf) stops this process once it has the figures.
    (figures) => process.send?.({ type: 'figures', figures }),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );
} else if (require.main === module) {
  benchRelay().then(
    (figures) => process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
