/** shared-sp-cleanup: the Exchange certificate off the shared principal, only once the dedicated app is in place. */
import { applyRunbook } from '../../src/engine/apply';
import { planRunbook } from '../../src/engine/planner';
import { getRunbook, validateInputs } from '../../src/runbooks';
import { verifyRunbook } from '../../src/verify/verify-runbook';
import { DC, DOMAIN, type LabFixture, openLabFixture, repeatedMutations } from '../support/lab-org';
import { uploadToSharedExchangePrincipal } from '../verify/faults';

const SHARED = '00000002-0000-0ff1-ce00-000000000000';

function deps(lab: LabFixture) {
  return { ems: lab.session.ems, graph: lab.session.graph, clock: lab.clock, store: lab.store };
}

function inputsFor(lab: LabFixture, name: string, acknowledged = true) {
  const runbook = getRunbook(name);
  const tenantId = lab.onDisk().tenant.tenantId;
  return { runbook, inputs: validateInputs(runbook, { domain: DOMAIN, dc: DC, tenantId, acknowledged }) };
}

async function planFor(lab: LabFixture, name: string) {
  const { runbook, inputs } = inputsFor(lab, name);
  return { runbook, inputs, ...(await planRunbook(runbook, inputs, deps(lab))) };
}

async function apply(lab: LabFixture, name: string, acknowledged = true) {
  const { runbook, inputs } = inputsFor(lab, name, acknowledged);
  return applyRunbook(
    { runbook, inputs, target: lab.file, requestedBy: 'alice', approvedBy: 'bob' },
    deps(lab),
  );
}

const sharedKeys = (lab: LabFixture) =>
  lab.onDisk().tenant.servicePrincipals.find((sp) => sp.appId === SHARED)?.keyCredentials ?? [];

describe('the whole guidance on an org without hybrid OAuth: hybrid-oauth, dedicated-hybrid-app, shared-sp-cleanup', () => {
  let lab: LabFixture;
  beforeAll(async () => {
    lab = await openLabFixture({ hybridOAuth: false });
    for (const name of ['hybrid-oauth', 'dedicated-hybrid-app'])
      expect((await apply(lab, name)).state).toBe('succeeded');
    // As a Hybrid Configuration Wizard run leaves it: the auth certificate's key on the shared principal.
    await uploadToSharedExchangePrincipal(lab.session);
  });
  afterAll(() => lab.close());

  it('removes only the Exchange key, verifies green, then plans nothing, each write once', async () => {
    const first = await planFor(lab, 'shared-sp-cleanup');
    const step = first.plan.steps[0];
    expect(step?.change).toBe('delete');
    expect(step?.command).toMatch(/^PATCH \/v1\.0\/servicePrincipals\/[0-9a-f-]+ \{"keyCredentials":\[/);
    expect(first.plan.caution).toMatch(/broken hybrid state/);
    const before = sharedKeys(lab).length;
    expect((await apply(lab, 'shared-sp-cleanup')).state).toBe('succeeded');
    expect(sharedKeys(lab)).toHaveLength(before - 1);
    const thumbprint = lab.onDisk().org.authConfig.currentCertificateThumbprint;
    expect(sharedKeys(lab).map((key) => key.customKeyIdentifier)).not.toContain(thumbprint);

    const checks = await verifyRunbook(first.runbook, first.inputs, deps(lab));
    expect(checks.filter((check) => !check.ok)).toEqual([]);
    const second = await planFor(lab, 'shared-sp-cleanup');
    expect(second.plan.steps.map((s) => s.change)).toEqual(['none']);
    expect(repeatedMutations(lab.onDisk().org.commandLog)).toEqual([]);
  });
});

describe('shared-sp-cleanup refuses', () => {
  it('when the dedicated hybrid application is not in place, naming what is missing', async () => {
    const lab = await openLabFixture({ dedicatedApp: false, sharedPrincipalKey: true });
    try {
      await expect(planFor(lab, 'shared-sp-cleanup')).rejects.toThrow(
        /^Refused: the dedicated hybrid application is not in place \(the application, its service principal, .*\): plan dedicated-hybrid-app first\.$/,
      );
      expect(sharedKeys(lab)).toHaveLength(1);
    } finally {
      await lab.close();
    }
  });

  it('when a server runs a build without the dedicated hybrid application', async () => {
    const lab = await openLabFixture({
      sharedPrincipalKey: true,
      servers: [{ name: 'EX01' }, { name: 'EX02', build: '15.2.1258.12' }],
    });
    try {
      await expect(planFor(lab, 'shared-sp-cleanup')).rejects.toThrow(
        'Refused: EX02 (Version 15.2 (Build 1258.12)) does not run a build with the dedicated hybrid application and would lose hybrid free/busy, MailTips and photos.',
      );
    } finally {
      await lab.close();
    }
  });

  it('without the acknowledgement of its caution, and removes nothing', async () => {
    const lab = await openLabFixture({ sharedPrincipalKey: true });
    try {
      await expect(apply(lab, 'shared-sp-cleanup', false)).rejects.toThrow(
        /needs an explicit acknowledgement/,
      );
      expect(sharedKeys(lab)).toHaveLength(1);
    } finally {
      await lab.close();
    }
  });
});
