import { planCard } from '../../src/bot/cards/plan-card';
import { formatPlan } from '../../src/cli/format';
import { planSchema } from '../../src/core/plan';
import { applyRunbook } from '../../src/engine/apply';
import { planRunbook } from '../../src/engine/planner';
import { getRunbook, RUNBOOKS, validateInputs } from '../../src/runbooks';
import { verifyRunbook } from '../../src/verify/verify-runbook';
import { DC, DOMAIN, type LabFixture, openLabFixture, repeatedMutations } from '../support/lab-org';

const SEED_RUNBOOKS = ['teams', 'sfb-online', 'sfb-online-2019', 'sfb-legacy'] as const;

function deps(lab: LabFixture) {
  return { ems: lab.session.ems, graph: lab.session.graph, clock: lab.clock, store: lab.store };
}

async function planFor(lab: LabFixture, name: string) {
  const runbook = getRunbook(name);
  const tenantId = lab.onDisk().tenant.tenantId;
  const inputs = validateInputs(runbook, { domain: DOMAIN, dc: DC, tenantId });
  return { runbook, inputs, ...(await planRunbook(runbook, inputs, deps(lab))) };
}

describe.each(SEED_RUNBOOKS)('the %s runbook on a fresh lab org', (name) => {
  let lab: LabFixture;
  beforeAll(async () => {
    lab = await openLabFixture();
  });
  afterAll(() => lab.close());

  it('plans changes, applies them, verifies green, then plans nothing and never repeats a mutating cmdlet', async () => {
    const first = await planFor(lab, name);
    expect(first.plan.steps.some((step) => step.change !== 'none')).toBe(true);

    const result = await applyRunbook(
      {
        runbook: first.runbook,
        inputs: first.inputs,
        target: lab.file,
        requestedBy: 'alice',
        approvedBy: 'bob',
      },
      deps(lab),
    );
    expect(result.error).toBeNull();
    expect(result.state).toBe('succeeded');

    const checks = await verifyRunbook(first.runbook, first.inputs, deps(lab));
    expect(checks.filter((check) => !check.ok)).toEqual([]);

    const second = await planFor(lab, name);
    expect(second.plan.steps.map((step) => [step.id, step.change])).toEqual(
      second.plan.steps.map((step) => [step.id, 'none']),
    );
    expect(repeatedMutations(lab.onDisk().org.commandLog)).toEqual([]);
  });
});

describe('a plan', () => {
  let lab: LabFixture;
  beforeEach(async () => {
    lab = await openLabFixture();
  });
  afterEach(() => lab.close());

  it('lists the teams steps in the seed order with their exact PowerShell', async () => {
    const { plan } = await planFor(lab, 'teams');
    expect(plan.steps.map((step) => step.id)).toEqual([
      'exchange-online-oauth',
      'mail-user',
      'mail-user-hidden',
      'role',
      'role-entries',
      'role-assignment',
      'partner-sfbonline',
      'partner-teamsscheduler',
      'partner-cloudvoicemail',
      'export-auth-certificate',
      'upload-cloudvoicemail',
      'upload-teamsscheduler',
      'upload-sfbonline',
    ]);
    const byId = Object.fromEntries(plan.steps.map((step) => [step.id, step]));
    expect(byId['mail-user']?.command).toBe(
      "New-MailUser -Name 'TeamsScheduler' -ApplicationAccount -ExternalEmailAddress 'TeamsScheduler-ApplicationAccount@contoso.com' -DomainController 'dc01.contoso.com'",
    );
    expect(byId['partner-cloudvoicemail']?.command).toBe(
      "New-PartnerApplication -Name 'CloudVoicemail' -ApplicationIdentifier 'db7de2b5-2149-435e-8043-e080dd50afae' -Enabled $true -DomainController 'dc01.contoso.com'",
    );
    // A role created by the plan starts with every entry of UserApplication, so all but GetDelegate go.
    expect(byId['role-entries']?.change).toBe('delete');
    expect(byId['role-entries']?.command).toContain(
      "Remove-ManagementRoleEntry -Identity 'TeamsSchedulerRole\\AddDelegate'",
    );
    expect(byId['role-entries']?.command).not.toContain('GetDelegate');
  });

  it('shows the seed warnings: -ApplicationAccount, the shared 00000002 service principal, the legacy app', async () => {
    const { plan } = await planFor(lab, 'teams');
    const warnings = (id: string) => plan.steps.find((step) => step.id === id)?.warnings.join(' ') ?? '';
    expect(warnings('mail-user')).toMatch(/-ApplicationAccount is not in the New-MailUser cmdlet reference/);
    expect(warnings('exchange-online-oauth')).toMatch(/blocked for EWS/);
    expect(warnings('partner-sfbonline')).toMatch(/still required/);
  });

  it('changes nothing in the org: only read cmdlets reach it', async () => {
    await planFor(lab, 'teams');
    const log = lab.onDisk().org.commandLog;
    expect(log.length).toBeGreaterThan(0);
    expect(log.filter((entry) => entry.mutating)).toEqual([]);
  });

  it('names exactly what is missing when Exchange↔Exchange Online OAuth is not configured', async () => {
    await lab.close();
    lab = await openLabFixture({ hybridOAuth: false });
    const { plan } = await planFor(lab, 'teams');
    const prerequisite = plan.steps.find((step) => step.id === 'exchange-online-oauth');
    expect(prerequisite?.detail).toMatch(/EvoSts auth server/);
    expect(prerequisite?.detail).toMatch(/intra-organization connector/);
    expect(prerequisite?.warnings.join(' ')).toMatch(/Prerequisite missing/);
  });
});

describe('running teams after sfb-online', () => {
  let lab: LabFixture;
  beforeAll(async () => {
    lab = await openLabFixture();
  });
  afterAll(() => lab.close());

  it('shows only what differs: the SfBOnline partner app is re-linked, its key is already there', async () => {
    const sfb = await planFor(lab, 'sfb-online');
    const applied = await applyRunbook(
      { runbook: sfb.runbook, inputs: sfb.inputs, target: lab.file, requestedBy: 'alice', approvedBy: null },
      deps(lab),
    );
    expect(applied.state).toBe('succeeded');

    const { plan } = await planFor(lab, 'teams');
    const byId = Object.fromEntries(plan.steps.map((step) => [step.id, step]));
    expect(byId['partner-sfbonline']?.change).toBe('update');
    expect(byId['partner-sfbonline']?.command).toBe(
      "Set-PartnerApplication -Identity 'SfBOnline' -LinkedAccount 'TeamsScheduler' -DomainController 'dc01.contoso.com'",
    );
    expect(byId['upload-sfbonline']?.change).toBe('none');
    expect(byId['upload-teamsscheduler']?.change).toBe('create');
  });
});

describe('article links', () => {
  let lab: LabFixture;
  beforeAll(async () => {
    lab = await openLabFixture();
  });
  afterAll(() => lab.close());

  it.each(RUNBOOKS.map((runbook) => runbook.name))(
    'every step of %s links the Microsoft article it follows, on the plan, its text and its card',
    async (name) => {
      const { plan } = await planFor(lab, name);
      for (const step of plan.steps) {
        expect(step.article?.url).toMatch(/^https:\/\/learn\.microsoft\.com\/[a-z]/);
        expect(step.article?.title).toBeTruthy();
      }
      const text = formatPlan(plan);
      const card = JSON.stringify(planCard(plan, 'plan-1', []));
      for (const step of plan.steps) {
        expect(text).toContain(`Microsoft: ${step.article?.title} <${step.article?.url}>`);
        expect(card).toContain(`(${step.article?.url})`);
      }
      expect(card).toContain('[Microsoft: ');
    },
  );

  it('keeps the link when a saved plan is read back', async () => {
    const { plan } = await planFor(lab, 'teams');
    const read = planSchema.parse(JSON.parse(JSON.stringify(plan)));
    expect(read.steps[0]?.article).toEqual(plan.steps[0]?.article);
  });

  it('warns "outdated" only where the Exchange certificate would go on the shared principal', async () => {
    const { plan } = await planFor(lab, 'sfb-legacy');
    const warnings = (id: string) => plan.steps.find((step) => step.id === id)?.warnings.join(' ') ?? '';
    expect(warnings('enable-exchange-online')).not.toMatch(/Outdated/);
    expect(warnings('register-spn')).not.toMatch(/Outdated/);
    const teams = await planFor(lab, 'teams');
    const prerequisite = teams.plan.steps.find((step) => step.id === 'exchange-online-oauth');
    expect(prerequisite?.warnings.join(' ')).toMatch(/see plan dedicated-hybrid-app/);
    expect(prerequisite?.warnings.join(' ')).not.toMatch(/Outdated/);
  });
});
