import type { EmsRunner, GraphPort } from '../../src/core/ports';
import { applyPlan, applyRunbook } from '../../src/engine/apply';
import { planRunbook } from '../../src/engine/planner';
import { delegatingGraphPort } from '../../src/graph/delegating-port';
import { getRunbook, validateInputs } from '../../src/runbooks';
import { APP_IDS } from '../../src/runbooks/app-ids';
import { DC, DOMAIN, type LabFixture, openLabFixture, repeatedMutations } from '../support/lab-org';
import { openVerifiedLab } from '../verify/lab';

const request = (lab: LabFixture, name: string, acknowledged = false) => {
  const runbook = getRunbook(name);
  return {
    runbook,
    inputs: validateInputs(runbook, { domain: DOMAIN, dc: DC, acknowledged }),
    target: lab.file,
    requestedBy: 'alice',
    approvedBy: 'bob',
  };
};

describe('a run of a saved plan', () => {
  let lab: LabFixture;
  beforeEach(async () => {
    lab = await openLabFixture();
  });
  afterEach(() => lab.close());
  const deps = (ems: EmsRunner = lab.session.ems, graph: GraphPort = lab.session.graph) => ({
    ems,
    graph,
    clock: lab.clock,
    store: lab.store,
  });

  it('sends no command nobody approved when the org changes during the run: it stops at the command that fails', async () => {
    // Someone creates the TeamsScheduler partner application by hand, disabled, while the run is under way.
    const meddling: EmsRunner = {
      runReads: (commands) => lab.session.ems.runReads(commands),
      run: async (command) => {
        const result = await lab.session.ems.run(command);
        if (command.cmdlet === 'New-MailUser') {
          await lab.session.exchange.execute({
            cmdlet: 'New-PartnerApplication',
            params: { Name: 'TeamsScheduler', ApplicationIdentifier: APP_IDS.teamsScheduler, Enabled: false },
          });
        }
        return result;
      },
    };
    const { plan } = await planRunbook(getRunbook('teams'), request(lab, 'teams').inputs, deps());
    const outcome = await applyPlan(plan, request(lab, 'teams'), deps(meddling));
    if (outcome.kind !== 'ran') throw new Error('the plan held at the start');
    expect(outcome.result.state).toBe('failed');
    expect(outcome.result.steps.find((step) => step.state === 'failed')?.id).toBe('partner-teamsscheduler');
    const approved = plan.steps.flatMap((step) =>
      step.operations.flatMap((op) => (op.kind === 'ems' ? [JSON.stringify([op.cmdlet, op.params])] : [])),
    );
    const mutating = lab.onDisk().org.commandLog.filter((entry) => entry.mutating);
    const unapproved = mutating.filter(
      (entry) => !approved.includes(JSON.stringify([entry.cmdlet, entry.params])),
    );
    // The only command outside the plan is the one made by hand.
    expect(unapproved).toEqual([
      expect.objectContaining({
        cmdlet: 'New-PartnerApplication',
        params: expect.objectContaining({ Enabled: false }),
      }),
    ]);
    expect(lab.onDisk().org.commandLog.map((entry) => entry.cmdlet)).not.toContain('Set-PartnerApplication');
  });

  it('removes only the partner applications the approver saw, and nothing when another appeared since', async () => {
    await applyRunbook(request(lab, 'teams'), deps());
    const { plan } = await planRunbook(
      getRunbook('remove-legacy-sfb'),
      request(lab, 'remove-legacy-sfb', true).inputs,
      deps(),
    );
    // Another partner application for the legacy app appears (one per realm may exist).
    const made = await lab.session.exchange.execute({
      cmdlet: 'New-PartnerApplication',
      params: {
        Name: 'SfBOnline2',
        ApplicationIdentifier: APP_IDS.skypeForBusinessOnline,
        Realm: 'contoso.com',
        Enabled: true,
      },
    });
    expect(made.ok).toBe(true);
    const outcome = await applyPlan(plan, request(lab, 'remove-legacy-sfb', true), deps());
    expect(outcome.kind).toBe('stale');
    if (outcome.kind === 'stale') {
      expect(outcome.fresh.steps[0]?.command).toContain("Remove-PartnerApplication -Identity 'SfBOnline2'");
    }
    const names = lab.onDisk().org.partnerApplications.map((app) => app.name);
    expect(names).toEqual(expect.arrayContaining(['SfBOnline', 'SfBOnline2']));
  });

  it('is planned from one EMS read job and one Graph $batch, in flight together', async () => {
    const calls: string[] = [];
    let readsPending = false;
    const ems: EmsRunner = {
      run: async (command) => {
        calls.push(`run ${command.cmdlet}`);
        return lab.session.ems.run(command);
      },
      runReads: async (commands) => {
        calls.push(`job of ${commands.length} reads`);
        readsPending = true;
        try {
          return await lab.session.ems.runReads(commands);
        } finally {
          readsPending = false;
        }
      },
    };
    const graph: GraphPort = {
      ...delegatingGraphPort(lab.session.graph),
      readServicePrincipals: (appIds) => {
        calls.push(`$batch while the job is ${readsPending ? 'in flight' : 'done'}`);
        return lab.session.graph.readServicePrincipals(appIds);
      },
    };
    await planRunbook(getRunbook('teams'), request(lab, 'teams').inputs, deps(ems, graph));
    expect(calls).toEqual(['job of 10 reads', '$batch while the job is in flight']);
  });
});

describe('a rotation whose process died right after New-ExchangeCertificate ran', () => {
  it('finds the new certificate on resume, stages it by its thumbprint, and never makes a second one', async () => {
    const lab = await openVerifiedLab({ oauthTestScope: 'on-premises' });
    try {
      await lab.advanceDays(1825 - 40);
      const runbook = getRunbook('rotate-auth-cert');
      const rotate = {
        runbook,
        inputs: lab.inputs,
        target: lab.file,
        requestedBy: 'alice',
        approvedBy: 'bob',
      };
      const crash = new Error('process killed');
      const dying = {
        ...lab.deps,
        checkpoint: (label: string) => {
          if (label === 'command.answered') throw crash;
        },
      };
      await expect(applyRunbook(rotate, dying)).rejects.toBe(crash);

      const resumed = await applyRunbook(rotate, lab.deps);
      expect(resumed).toMatchObject({ resumed: true, state: 'succeeded' });
      const log = lab.session.state.org.commandLog;
      const made = log.filter((entry: { cmdlet: string }) => entry.cmdlet === 'New-ExchangeCertificate');
      expect(made).toHaveLength(1);
      const config = lab.session.state.org.authConfig;
      const newest = lab.session.state.org.certificates.at(-1)?.thumbprint;
      expect(config.nextCertificateThumbprint).toBe(newest);
      expect(repeatedMutations(log)).toEqual([]);
      const outcomes = (await lab.store.listAudit(500)).map((entry) => entry.outcome);
      expect(outcomes).toContain('found applied after restart');
    } finally {
      await lab.close();
    }
  });
});
