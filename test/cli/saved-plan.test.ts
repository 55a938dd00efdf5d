import fs from 'node:fs';
import path from 'node:path';
import type { EmsOperation } from '../../src/core/plan';
import { loadLabFile } from '../../src/lab/lab-file';
import { DC, DOMAIN, fixedClock, tempDir, writeLabOrg } from '../support/lab-org';
import { cli } from '../support/run-cli';

const clock = fixedClock();

/** The parts of a saved plan file these tests tamper with. */
interface PlanFileShape {
  format: string;
  inputs: Record<string, unknown>;
  plan: { steps: { command: string; operations: { cmdlet: string; params: Record<string, unknown> }[] }[] };
}

/** The New-MailUser step of a saved teams plan, to tamper with. */
function mailUserStep(file: PlanFileShape) {
  const step = file.plan.steps[1];
  const op = step?.operations[0];
  if (!step || !op) throw new Error('the plan has no mail user step');
  return { step, op };
}

describe('a saved plan: plan --out, then apply --plan', () => {
  let dir: string;
  let cleanup: () => void;
  let lab: string;
  let planFile: string;
  let env: NodeJS.ProcessEnv;
  const run = (...argv: string[]) => cli(argv, env, clock);
  const mutations = () => loadLabFile(lab).org.commandLog.filter((entry) => entry.mutating);
  const saved = () => JSON.parse(fs.readFileSync(planFile, 'utf8'));
  const save = (content: unknown) => fs.writeFileSync(planFile, JSON.stringify(content));

  beforeEach(async () => {
    ({ dir, cleanup } = tempDir());
    lab = await writeLabOrg(dir, clock);
    planFile = path.join(dir, 'plan.json');
    env = { HYBRIDOPS_DB: path.join(dir, 'hybridops.db'), HYBRIDOPS_ACTOR: 'alice' };
    const planned = await run(
      'plan',
      '--lab',
      lab,
      '--runbook',
      'teams',
      '--domain',
      DOMAIN,
      '--dc',
      DC,
      '--out',
      planFile,
    );
    expect(planned.code).toBe(0);
  });
  afterEach(() => cleanup());

  it('applies exactly the saved operations, in order, and nothing else', async () => {
    const plan = saved().plan;
    const applied = await run('apply', '--lab', lab, '--plan', planFile, '--yes');
    expect(applied.code).toBe(0);
    const approved = plan.steps
      .flatMap((step: { operations: EmsOperation[] }) => step.operations)
      .filter((op: EmsOperation) => op.kind === 'ems' && /^(New|Set|Remove)-/.test(op.cmdlet))
      .map((op: EmsOperation) => [op.cmdlet, op.params]);
    expect(mutations().map((entry) => [entry.cmdlet, entry.params])).toEqual(approved);
    expect((await run('verify', '--lab', lab, '--runbook', 'teams')).code).toBe(0);
  });

  it('runs nothing from a plan the org no longer matches: one sentence, exit 1', async () => {
    const changed = await run(
      'lab',
      'exec',
      '--lab',
      lab,
      "New-MailUser -Name 'TeamsScheduler' -ExternalEmailAddress 'ts@contoso.com'",
    );
    expect(changed.code).toBe(0);
    const before = mutations().length;
    const applied = await run('apply', '--lab', lab, '--plan', planFile, '--yes');
    expect(applied.code).toBe(1);
    expect(applied.stderr).toBe(
      `hybridops: The org changed since ${planFile} was made, so its operations no longer match and nothing was run: plan again.`,
    );
    expect(mutations()).toHaveLength(before);
  });

  it.each([
    [
      'an operation changed after the plan was made',
      (plan: PlanFileShape) => {
        mailUserStep(plan).op.params.Name = 'Mallory';
      },
      /its operations were changed after it was made/,
    ],
    [
      'a shown command that is not its operation',
      (plan: PlanFileShape) => {
        mailUserStep(plan).step.command = "New-MailUser -Name 'Harmless'";
      },
      /step mail-user shows commands that are not its operations/,
    ],
    [
      'a cmdlet outside the allowlist',
      (plan: PlanFileShape) => {
        mailUserStep(plan).op.cmdlet = 'Invoke-Expression';
      },
      /plan.steps.1.operations.0/,
    ],
    [
      'an unknown format',
      (plan: PlanFileShape) => {
        plan.format = 'terraform/1';
      },
      /format/,
    ],
    [
      'inputs that are not valid',
      (plan: PlanFileShape) => {
        plan.inputs.domain = 'contoso.com;New-MailUser';
      },
      /Invalid domain/,
    ],
  ])('refuses a plan file with %s: exit 2, nothing run', async (_case, tamper, message) => {
    const content = saved();
    tamper(content);
    save(content);
    const applied = await run('apply', '--lab', lab, '--plan', planFile, '--yes');
    expect(applied.code).toBe(2);
    expect(applied.stderr).toMatch(message);
    expect(applied.stderr.split('\n')).toHaveLength(1);
    expect(mutations()).toEqual([]);
  });

  it('refuses a file that is not JSON, and a plan made for another org', async () => {
    fs.writeFileSync(path.join(dir, 'broken.json'), '{"format":');
    const broken = await run('apply', '--lab', lab, '--plan', path.join(dir, 'broken.json'), '--yes');
    expect(broken).toMatchObject({ code: 2 });
    expect(broken.stderr).toMatch(/is not JSON/);
    const other = await writeLabOrg(fs.mkdtempSync(path.join(dir, 'other-')), clock);
    const elsewhere = await run('apply', '--lab', other, '--plan', planFile, '--yes');
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.stderr).toMatch(/was made for lab:.*lab\.json, not lab:/);
    expect(mutations()).toEqual([]);
  });

  it('takes the runbook and inputs from the plan only', async () => {
    const both = await run('apply', '--lab', lab, '--plan', planFile, '--runbook', 'teams', '--yes');
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/give --plan or --runbook, not both/);
  });
});

describe('apply without --plan', () => {
  it('plans and applies in one go, probing once: the reads, one export, the changes', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const lab = await writeLabOrg(dir, clock);
      const env = { HYBRIDOPS_DB: path.join(dir, 'hybridops.db'), HYBRIDOPS_ACTOR: 'alice' };
      const applied = await cli(
        ['apply', '--lab', lab, '--runbook', 'teams', '--domain', DOMAIN, '--dc', DC, '--yes'],
        env,
        clock,
      );
      expect(applied.code).toBe(0);
      const log = loadLabFile(lab).org.commandLog;
      const counts = (wanted: (cmdlet: string, mutating: boolean) => boolean) =>
        log.filter((entry) => wanted(entry.cmdlet, entry.mutating)).length;
      // Every read once (one relay job), the certificate exported once, the procedure's 12 changes.
      expect(counts((cmdlet) => cmdlet.startsWith('Get-'))).toBe(10);
      expect(counts((cmdlet) => cmdlet === 'Export-ExchangeCertificate')).toBe(1);
      expect(counts((_, mutating) => mutating)).toBe(12);
      // The procedure as written runs 14 EMS commands (seed 000): at most twice that.
      expect(log.length).toBeLessThanOrEqual(2 * 14);
    } finally {
      cleanup();
    }
  });
});
