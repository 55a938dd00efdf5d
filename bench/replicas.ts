/**
 * Replicas on one PostgreSQL: a relay job's round trip when the agent sits on the other replica against the
 * same job on the replica it is connected to; 1,000 scheduled scans split over two replicas (each org
 * scanned once) against one replica alone; and the hub's memory with 5,000 connected agents. The first two
 * need a PostgreSQL server (HYBRIDOPS_TEST_PG, as the tests; `.ci/postgres` starts one).
 */
import { createPublicKey, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { scanOncePerSlot } from '../src/alerts/replicated-scan';
import { RelayAgent } from '../src/relay/agent-client';
import { registerAgent } from '../src/relay/agent-registry';
import { openAgentStore } from '../src/relay/agent-store';
import { noopExecutor } from '../src/relay/executors/noop';
import type { RelayHub } from '../src/relay/hub-types';
import { generateSigningKey } from '../src/relay/signing';
import { type InProcessReplica, startInProcessReplica } from '../test/support/replica-hub';
import { type BenchFigure, median, ratioFigure } from './harness';
import { benchHubMemory } from './relay';

const clock = { now: () => new Date() };
const ORGS = 1_000;
const SCAN_MS = 20;
const CONCURRENCY = 16;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function onServer<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The round trip of one no-op job dispatched on `hub`, in ms. */
async function roundTrip(hub: RelayHub): Promise<number> {
  const start = performance.now();
  await hub.dispatch({
    agentId: 'ex1',
    mode: 'single',
    commands: [{ cmdlet: 'Get-AuthConfig', params: {} }],
  });
  return performance.now() - start;
}

/** Median round trips of `count` jobs on each hub, one at a time, the hubs taking turns job by job. */
async function alternating(hubs: readonly RelayHub[], count: number): Promise<number[]> {
  const times = hubs.map(() => [] as number[]);
  for (let i = 0; i < count; i += 1)
    for (const [index, hub] of hubs.entries()) times[index]?.push(await roundTrip(hub));
  return times.map(median);
}

async function benchRouting(a: InProcessReplica, b: InProcessReplica, dir: string): Promise<BenchFigure> {
  const secret = await registerAgent(a.store.relay, 'ex1', new Date().toISOString());
  const agent = new RelayAgent({
    hubUrl: a.url,
    agentId: 'ex1',
    secret,
    botPublicKey: createPublicKey(signingKeyOf(a)),
    executor: noopExecutor(),
    store: openAgentStore(path.join(dir, 'ex1.db')),
  });
  agent.start();
  await a.hub.waitForAgent('ex1', 10_000);
  await alternating([a.hub, b.hub], 60);
  // Job by job in turn, so a burst of load on the machine weighs on both sides alike.
  const [local, routed] = await alternating([a.hub, b.hub], 200);
  await agent.stop(1_000);
  return ratioFigure(
    'replicas: relay job round trip, agent on the other replica (vs on this one)',
    'ms',
    routed as number,
    local as number,
    1.5,
  );
}

const keys = new WeakMap<InProcessReplica, ReturnType<typeof generateSigningKey>>();
const signingKeyOf = (replica: InProcessReplica) =>
  keys.get(replica) as ReturnType<typeof generateSigningKey>;

/**
 * Scans every org once at `slot` on each of `replicas` at once, `CONCURRENCY` at a time each, each replica
 * starting its walk at its own offset; wall time and scans.
 */
async function scanSlot(replicas: readonly InProcessReplica[], slot: string) {
  let scans = 0;
  const scan = async () => {
    scans += 1;
    await sleep(SCAN_MS);
    return null as never;
  };
  const start = performance.now();
  await Promise.all(
    replicas.map(async ({ replica }, position) => {
      const scheduled = scanOncePerSlot(replica);
      // Each replica walks every org, from an offset of its own (as each orders its claims its own way).
      const offset = Math.floor((position * ORGS) / replicas.length);
      let next = 0;
      const worker = async () => {
        for (let step = next++; step < ORGS; step = next++)
          await scheduled(`org-${(offset + step) % ORGS}`, slot, scan);
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    }),
  );
  return { ms: performance.now() - start, scans };
}

async function benchWatchSplit(a: InProcessReplica, b: InProcessReplica): Promise<BenchFigure[]> {
  await scanSlot([a], '2026-01-01T00:00:00.000Z');
  const one = await scanSlot([a], '2026-01-01T01:00:00.000Z');
  const two = await scanSlot([a, b], '2026-01-01T02:00:00.000Z');
  if (one.scans !== ORGS || two.scans !== ORGS)
    throw new Error(`each org once: ${one.scans} and ${two.scans} scans of ${ORGS} orgs`);
  return [
    ratioFigure(
      `replicas: scheduled scan of ${ORGS} orgs (${SCAN_MS} ms each) split over two replicas, each once (vs one)`,
      's',
      two.ms / 1000,
      one.ms / 1000,
      0.7,
    ),
  ];
}

/** The replica figures for `npm run bench`. */
export async function benchReplicas(): Promise<BenchFigure[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hybridops-bench-replicas-'));
  const figures: BenchFigure[] = [];
  try {
    const serverUrl = process.env.HYBRIDOPS_TEST_PG?.trim() || 'postgres://postgres@127.0.0.1:5432/postgres';
    const name = `hybridops_bench_${randomBytes(6).toString('hex')}`;
    const reachable = await onServer(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`)).then(
      () => true,
      (error: Error) => {
        process.stderr.write(
          `Skipping the PostgreSQL replica figures: ${error.message} (start .ci/postgres).\n`,
        );
        return false;
      },
    );
    if (reachable) {
      const dbUrl = serverUrl.replace(/^(postgres(?:ql)?:\/\/[^/?]*)(\/[^?]*)?/, `$1/${name}`);
      const signingKey = generateSigningKey();
      const a = await startInProcessReplica(dbUrl, signingKey, clock);
      const b = await startInProcessReplica(dbUrl, signingKey, clock);
      keys.set(a, signingKey);
      try {
        figures.push(await benchRouting(a, b, dir));
        figures.push(...(await benchWatchSplit(a, b)));
      } finally {
        await a.close();
        await b.close();
        await onServer(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      }
    }
    figures.push(await benchHubMemory(dir, 5_000, 512));
    return figures;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  benchReplicas().then(
    async (figures) => {
      (await import('./harness')).report(figures, path.join(os.tmpdir(), 'hybridops-bench-replicas.json'));
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
