/** Lab apply of every seed runbook goes through the hub and an agent over a real loopback WebSocket. */
import { applyRunbook } from '../../src/engine/apply';
import { planRunbook } from '../../src/engine/planner';
import { type LoopbackRelay, startLoopbackRelay } from '../../src/playground/loopback-relay';
import { RelayEmsRunner } from '../../src/relay/ems-runner';
import type { RelayHub } from '../../src/relay/hub-types';
import { getRunbook, validateInputs } from '../../src/runbooks';
import { verifyRunbook } from '../../src/verify/verify-runbook';
import { DC, DOMAIN, type LabFixture, openLabFixture, repeatedMutations } from '../support/lab-org';

const SEED_RUNBOOKS = ['teams', 'sfb-online', 'sfb-online-2019', 'sfb-legacy', 'remove-legacy-sfb'] as const;

interface Relay {
  readonly lab: LabFixture;
  readonly loopback: LoopbackRelay;
  readonly ems: RelayEmsRunner;
  jobCount(): number;
}

async function openRelay(): Promise<Relay> {
  const lab = await openLabFixture();
  const loopback = await startLoopbackRelay(lab.session.exchange, lab.clock);
  let jobs = 0;
  const { hub } = loopback;
  // Counting jobs at the hub's own entry point: every EMS command must reach the org through it.
  const counted = {
    waitForAgent: hub.waitForAgent,
    dispatch: (request: Parameters<RelayHub['dispatch']>[0]) => {
      jobs += 1;
      return hub.dispatch(request);
    },
  };
  return { lab, loopback, ems: new RelayEmsRunner(counted, { agentId: 'lab' }), jobCount: () => jobs };
}

async function closeRelay(relay: Relay): Promise<void> {
  await relay.loopback.close();
  await relay.lab.close();
}

describe.each(SEED_RUNBOOKS)('the %s runbook through the relay', (name) => {
  let relay: Relay;
  beforeAll(async () => {
    relay = await openRelay();
  });
  afterAll(() => closeRelay(relay));

  it('applies, verifies green and plans nothing afterwards, every command having gone through hub and agent', async () => {
    const { lab, ems } = relay;
    const runbook = getRunbook(name);
    const inputs = validateInputs(runbook, { domain: DOMAIN, dc: DC, acknowledged: true });
    const deps = { ems, graph: lab.session.graph, clock: lab.clock, store: lab.store };
    const logBefore = lab.session.state.org.commandLog.length;

    const result = await applyRunbook(
      { runbook, inputs, target: lab.file, requestedBy: 'alice', approvedBy: 'bob' },
      deps,
    );
    expect(result.error).toBeNull();
    expect(result.state).toBe('succeeded');
    const checks = await verifyRunbook(runbook, inputs, deps);
    expect(checks.filter((check) => !check.ok)).toEqual([]);
    const again = await planRunbook(runbook, inputs, deps);
    expect(again.plan.steps.filter((step) => step.change !== 'none')).toEqual([]);

    const log = lab.onDisk().org.commandLog;
    expect(log.length).toBeGreaterThan(logBefore);
    expect(repeatedMutations(log)).toEqual([]);
    // Each job carries at least one command; the hub saw no fewer jobs than mutating commands ran.
    expect(relay.jobCount()).toBeGreaterThanOrEqual(log.filter((entry) => entry.mutating).length);
    expect(await relay.loopback.hub.listAgents()).toEqual([
      expect.objectContaining({ id: 'lab', connected: true, jobsInFlight: 0 }),
    ]);
  });
});

describe('planning over the relay', () => {
  let relay: Relay;
  beforeAll(async () => {
    relay = await openRelay();
  });
  afterAll(() => closeRelay(relay));

  it('sends a plan’s read-only probes together: a few jobs, not one per probe', async () => {
    const runbook = getRunbook('teams');
    const inputs = validateInputs(runbook, { domain: DOMAIN, dc: DC });
    const before = relay.lab.session.state.org.commandLog.length;
    await planRunbook(runbook, inputs, {
      ems: relay.ems,
      graph: relay.lab.session.graph,
      clock: relay.lab.clock,
    });
    const probes = relay.lab.session.state.org.commandLog.length - before;
    expect(probes).toBeGreaterThan(8);
    expect(relay.jobCount()).toBeLessThanOrEqual(3);
  });
});
