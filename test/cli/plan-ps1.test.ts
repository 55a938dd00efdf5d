import fs from 'node:fs';
import path from 'node:path';
import type { Plan } from '../../src/core/plan';
import { planScript } from '../../src/engine/operations/ps1';
import { DC, DOMAIN, fixedClock, tempDir, writeLabOrg } from '../support/lab-org';
import { cli } from '../support/run-cli';

describe('plan --ps1', () => {
  it('writes the plan as a PowerShell script beside printing it', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const clock = fixedClock();
      const lab = await writeLabOrg(dir, clock);
      const file = path.join(dir, 'teams.ps1');
      const env = { ...process.env, HYBRIDOPS_DB: path.join(dir, 'cli.db') };
      const run = await cli(
        ['plan', '--lab', lab, '--runbook', 'teams', '--domain', DOMAIN, '--dc', DC, '--ps1', file],
        env,
        clock,
      );
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`Wrote the plan as PowerShell to ${file}.`);
      const script = fs.readFileSync(file, 'utf8');
      expect(script.startsWith('\uFEFF# ')).toBe(true);
      expect(script).toMatch(/^# Step 2: Mail user TeamsScheduler .*\(create\)$/m);
      expect(script).toMatch(/^New-MailUser -Name 'TeamsScheduler' -ApplicationAccount /m);
      expect(script).toMatch(
        /^Update-MgServicePrincipal -ServicePrincipalId '[0-9a-f-]+' -KeyCredentials @\(/m,
      );
      expect(script).toContain(
        '# Run in the Exchange Management Shell, after Connect-MgGraph -Scopes Application.ReadWrite.All.',
      );
    } finally {
      cleanup();
    }
  });

  it('puts the Microsoft article of a step in a comment above its commands', () => {
    const plan: Plan = {
      runbook: 'teams',
      title: 'Teams',
      source: 'Configure integration',
      caution: null,
      notes: [],
      plannedAt: '2026-11-21T12:00:00.000Z',
      reads: { ems: [], servicePrincipals: [] },
      hash: 'a'.repeat(64),
      steps: [
        {
          id: 'mail-user',
          title: 'Mail user',
          seedStep: 'Step 2',
          target: 'exchange',
          change: 'create',
          operations: [
            {
              kind: 'ems',
              cmdlet: 'New-MailUser',
              params: { Name: 'TeamsScheduler', ExternalEmailAddress: 'ts@contoso.com' },
            },
          ],
          command: '',
          detail: '',
          warnings: [],
          article: { title: 'Configure integration', url: 'https://learn.microsoft.com/exchange/x' },
        },
      ],
    };
    expect(planScript(plan)).toContain(
      "# Step 1: Mail user (create)\n# Configure integration: https://learn.microsoft.com/exchange/x\nNew-MailUser -Name 'TeamsScheduler'",
    );
  });
});
