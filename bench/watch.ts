/** Watch scan of many simulated orgs: wall time, Graph requests per org (goal one `$batch`), and linearity. */
import { performance } from 'node:perf_hooks';
import type { AlertCard, Notifier } from '../src/alerts/types';
import { createWatch } from '../src/alerts/watch';
import type { AppDocuments } from '../src/app';
import { type Clock, systemClock } from '../src/core/ports';
import { applyRunbook } from '../src/engine/apply';
import { createLabState } from '../src/lab/init';
import { type LabSession, serveLabState } from '../src/lab/lab-session';
import type { LabState } from '../src/lab/state';
import { createLabTls, type LabTls } from '../src/lab/tls';
import { getRunbook, validateInputs } from '../src/runbooks';
import { openStore } from '../src/store/open-store';
import { type BenchFigure, limitFigure, ratioFigure } from './harness';

const ORGS = 1000;
const SMALL = 250;
const CONCURRENCY = 32;

type BenchOrg = LabSession;

const quietNotifier: Notifier = {
  postAlert: async (_channel: string, card: AlertCard) => ({ messageId: card.alertId }),
  updateAlert: async () => undefined,
};

/**
 * One org with the Teams integration applied, cloned for every simulated org (key generation happens once). It is
 * on the dedicated hybrid app, as a healthy org of today is: on the shared service principal, blocked for EWS since
 * 2025-10-31, every scan would fail its OAuth check.
 */
async function integratedState(clock: Clock): Promise<LabState> {
  const state = await createLabState({ now: clock.now(), domain: 'contoso.com', dedicatedApp: true });
  const org = await openOrg(state, clock, await createLabTls());
  const runbook = getRunbook('teams');
  const inputs = validateInputs(runbook, {
    domain: 'contoso.com',
    dc: 'dc01.contoso.com',
    tenantId: state.tenant.tenantId,
  });
  const store = await openStore(':memory:');
  const ems = {
    run: org.exchange.execute.bind(org.exchange),
    runReads: org.exchange.executeReads.bind(org.exchange),
  };
  await applyRunbook(
    { runbook, inputs, target: 'bench', requestedBy: 'bench', approvedBy: 'bench' },
    { ems, graph: org.graph, clock, store: store.runs },
  );
  await store.close();
  await closeOrg(org);
  return state;
}

function openOrg(state: LabState, clock: Clock, tls: LabTls): Promise<BenchOrg> {
  return serveLabState(state, { clock, persist: () => undefined, tls });
}

async function closeOrg(org: BenchOrg): Promise<void> {
  await org.close();
}

async function watchOver(orgs: readonly BenchOrg[], clock: Clock) {
  const store = await openStore<AppDocuments>(':memory:');
  const byId = new Map(orgs.map((org, index) => [`org-${index}`, org]));
  const watch = createWatch({
    store: store.watch,
    notifier: quietNotifier,
    clock,
    connect: async (watched) => {
      const org = byId.get(watched.id);
      if (!org) throw new Error(`no bench org ${watched.id}`);
      return {
        ems: org.ems,
        graph: org.graph,
      };
    },
  });
  for (const [id, org] of byId) {
    const inputs = validateInputs(getRunbook('teams'), {
      domain: 'contoso.com',
      dc: 'dc01.contoso.com',
      tenantId: org.state.tenant.tenantId,
    });
    await watch.register({
      id,
      name: id,
      runbook: 'teams',
      inputs,
      channelId: 'bench',
      testMailbox: 'AdeleV@contoso.com',
    });
  }
  return { watch, close: () => store.close() };
}

/** Top-level Graph HTTP requests (a `$batch` counts once, its inner requests not at all). */
const graphRequests = (orgs: readonly BenchOrg[]) =>
  orgs.reduce(
    (sum, org) =>
      sum +
      org.state.tenant.requestLog.filter(
        (entry) => !entry.path.includes('#') && !entry.path.includes('/token'),
      ).length,
    0,
  );

async function timedScan(
  orgs: readonly BenchOrg[],
  clock: Clock,
): Promise<{ ms: number; requests: number; failing: number }> {
  const { watch, close } = await watchOver(orgs, clock);
  const before = graphRequests(orgs);
  const start = performance.now();
  const outcomes = await watch.scanAll(CONCURRENCY);
  const ms = performance.now() - start;
  await close();
  return {
    ms,
    requests: graphRequests(orgs) - before,
    failing: outcomes.filter((outcome) => outcome.state !== 'passing').length,
  };
}

/** The watch figures for `npm run bench`. */
export async function benchWatch(): Promise<BenchFigure[]> {
  const clock = systemClock;
  const base = await integratedState(clock);
  const tls = await createLabTls();
  const orgs: BenchOrg[] = [];
  for (let index = 0; index < ORGS; index += 1) orgs.push(await openOrg(structuredClone(base), clock, tls));
  try {
    // The first scan fetches every org's Graph token; the watch keeps them, so the steady state is measured.
    await timedScan(orgs, clock);
    const small = await timedScan(orgs.slice(0, SMALL), clock);
    const all = await timedScan(orgs, clock);
    if (all.failing > 0 || small.failing > 0)
      throw new Error(`${all.failing + small.failing} bench org scans did not pass`);
    return [
      limitFigure(`watch scan of ${ORGS} simulated orgs`, 's', all.ms / 1000, 10),
      limitFigure('watch scan: Graph requests per org', 'requests', all.requests / ORGS, 1),
      ratioFigure(
        `watch scan time per org, ${ORGS} vs ${SMALL} orgs (linear)`,
        'ms',
        all.ms / ORGS,
        small.ms / SMALL,
        1.5,
      ),
    ];
  } finally {
    for (const org of orgs) await closeOrg(org);
  }
}

if (require.main === module) {
  benchWatch()
    .then((figures) => process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`))
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 1;
    });
}
