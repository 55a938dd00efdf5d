import type { EmsCommand } from '../../src/core/ems';
import type { EmsRunner } from '../../src/core/ports';
import { applyRunbook, type ProgressEvent } from '../../src/engine/apply';
import { getRunbook, validateInputs } from '../../src/runbooks';
import { DC, DOMAIN, type LabFixture, openLabFixture, repeatedMutations } from '../support/lab-org';

function request(
  lab: LabFixture,
  name: string,
  extra: { acknowledged?: boolean; applicationAccount?: boolean } = {},
) {
  const runbook = getRunbook(name);
  return {
    runbook,
    inputs: validateInputs(runbook, { domain: DOMAIN, dc: DC, ...extra }),
    target: lab.file,
    requestedBy: 'alice@contoso.com',
    approvedBy: 'bob@contoso.com',
  };
}

/** An EMS runner whose connection drops (outcome unknown) on the n-th mutating command, after the org ran it. */
function droppingAfter(inner: EmsRunner, n: number, mutating: (c: EmsCommand) => boolean): EmsRunner {
  let seen = 0;
  return {
    runReads: (commands) => inner.runReads(commands),
    run: async (command) => {
      const result = await inner.run(command);
      if (mutating(command) && ++seen === n) throw new Error('connection to the agent lost');
      return result;
    },
  };
}

describe('apply', () => {
  let lab: LabFixture;
  beforeEach(async () => {
    lab = await openLabFixture();
  });
  afterEach(() => lab.close());

  const deps = (ems?: EmsRunner) => ({
    ems: ems ?? lab.session.ems,
    graph: lab.session.graph,
    clock: lab.clock,
    store: lab.store,
  });

  it('reports progress for every step and writes who asked, who approved and each command to the audit log', async () => {
    const events: ProgressEvent[] = [];
    const result = await applyRunbook(
      { ...request(lab, 'sfb-online'), onProgress: (e) => events.push(e) },
      deps(),
    );
    expect(result.state).toBe('succeeded');
    expect(events[0]).toMatchObject({ type: 'run.started', resumed: false });
    expect(events.at(-1)).toMatchObject({ type: 'run.finished', state: 'succeeded' });
    expect(events.filter((e) => e.type === 'step.finished')).toHaveLength(9);

    const audit = await lab.store.listAudit();
    expect(audit[0]).toMatchObject({
      action: 'run.started',
      actor: 'alice@contoso.com',
      runbook: 'sfb-online',
    });
    expect(audit[0]?.detail).toMatch(/approved by bob@contoso.com/);
    const commands = audit.filter((entry) => entry.action === 'command');
    expect(commands.map((entry) => entry.detail)).toContain(
      "New-MailUser -Name 'SfBOnline-ApplicationAccount' -ExternalEmailAddress 'SfBOnline-ApplicationAccount@contoso.com' -DomainController 'dc01.contoso.com'",
    );
    expect(
      commands.every((entry) => entry.outcome?.startsWith('succeeded') && entry.durationMs !== null),
    ).toBe(true);
    expect(audit.at(-1)).toMatchObject({ action: 'run.finished', outcome: 'succeeded' });
  });

  it('judges a command whose answer was lost by re-probing its step: found applied, audited, never sent again', async () => {
    const isMutating = (c: EmsCommand) => /^(New|Set|Remove)-/.test(c.cmdlet);
    const result = await applyRunbook(
      request(lab, 'teams'),
      deps(droppingAfter(lab.session.ems, 3, isMutating)),
    );
    expect(result.state).toBe('succeeded');
    expect(repeatedMutations(lab.onDisk().org.commandLog)).toEqual([]);
    const audit = await lab.store.listAudit(500);
    const found = audit.filter((entry) => entry.outcome === 'found applied on re-probe');
    expect(found).toHaveLength(1);
    const sent = audit.find((entry) => entry.seq === found[0]?.completes);
    expect(sent).toMatchObject({ action: 'command.sent', detail: found[0]?.detail });
  });

  it('sends a command once more when the re-probe shows its lost answer never took effect', async () => {
    let dropped = false;
    const losing: EmsRunner = {
      runReads: (commands) => lab.session.ems.runReads(commands),
      run: async (command) => {
        if (command.cmdlet === 'New-ManagementRole' && !dropped) {
          dropped = true;
          throw new Error('connection to the agent lost before it ran');
        }
        return lab.session.ems.run(command);
      },
    };
    const result = await applyRunbook(request(lab, 'teams'), deps(losing));
    expect(result.state).toBe('succeeded');
    const log = lab.onDisk().org.commandLog;
    expect(log.filter((entry) => entry.cmdlet === 'New-ManagementRole')).toHaveLength(1);
    const outcomes = (await lab.store.listAudit(500)).map((entry) => entry.outcome);
    expect(outcomes).toContain('not applied (re-probe): sent once more');
  });

  it("stops at a failing step with Exchange's error text and runs nothing after it", async () => {
    await lab.close();
    lab = await openLabFixture({ rejectsApplicationAccount: true });
    const result = await applyRunbook(request(lab, 'teams'), deps());
    expect(result.state).toBe('failed');
    expect(result.error).toMatch(
      /A parameter cannot be found that matches parameter name 'ApplicationAccount'/,
    );
    expect(result.steps.find((step) => step.id === 'mail-user')?.state).toBe('failed');
    expect(lab.onDisk().org.commandLog.filter((entry) => entry.mutating && entry.ok)).toEqual([]);

    const retry = await applyRunbook(request(lab, 'teams', { applicationAccount: false }), deps());
    expect(retry.state).toBe('succeeded');
  });

  it('never sends a command twice in one run even when the org still needs it afterwards', async () => {
    // The process dies right after New-MailUser's answer was journaled; then someone deletes the user.
    const crash = new Error('process killed');
    const dying = {
      ...deps(),
      checkpoint: (label: string) => {
        if (label === 'command.finished') throw crash;
      },
    };
    await expect(applyRunbook(request(lab, 'sfb-online'), dying)).rejects.toBe(crash);
    lab.session.state.org.mailUsers = [];
    const sentBefore = lab.session.state.org.commandLog.length;

    const resumed = await applyRunbook(request(lab, 'sfb-online'), deps());
    expect(resumed.state).toBe('failed');
    expect(resumed.error).toMatch(/was already sent in this run/);
    expect(lab.session.state.org.commandLog.slice(sentBefore).filter((entry) => entry.mutating)).toEqual([]);
  });

  it('refuses remove-legacy-sfb without the caution acknowledged and changes nothing', async () => {
    await applyRunbook(request(lab, 'teams'), deps());
    await expect(applyRunbook(request(lab, 'remove-legacy-sfb'), deps())).rejects.toThrow(
      /Don't delete the legacy/,
    );
    expect(lab.onDisk().org.partnerApplications.map((app) => app.name)).toContain('SfBOnline');

    const removed = await applyRunbook(request(lab, 'remove-legacy-sfb', { acknowledged: true }), deps());
    expect(removed.state).toBe('succeeded');
    expect(lab.onDisk().org.partnerApplications.map((app) => app.name)).not.toContain('SfBOnline');
  });
});
