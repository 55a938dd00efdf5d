/**
 * Windows PowerShell 5.1 is Exchange's own shell: every text the agent sends, the lab module and the agent
 * installer must parse in PowerShell's parser and use nothing only PowerShell 6 or 7 has.
 */
import fs from 'node:fs';
import path from 'node:path';
import { planScript } from '../../src/engine/operations/ps1';
import { planRunbook } from '../../src/engine/planner';
import { agentScripts } from '../../src/relay/executors/powershell-script';
import { RUNBOOKS, validateInputs } from '../../src/runbooks';
import { DC, DOMAIN, openLabFixture, planDedicatedAppFromNothing, tempDir } from '../support/lab-org';
import { describeWithShell, runScript } from '../support/pwsh';

const ROOT = path.join(__dirname, '..', '..');
const CHECKER = path.join(__dirname, 'fixtures', 'Find-PowerShell7Syntax.ps1');
const SAMPLE = path.join(__dirname, 'fixtures', 'ps7-only.ps1');

interface Report {
  readonly name: string;
  readonly errors: string[];
  readonly findings: { construct: string; line: number; text: string }[];
}

function file(relative: string): { name: string; text: string } {
  return { name: relative, text: fs.readFileSync(path.join(ROOT, relative), 'utf8') };
}

async function check(scripts: readonly { name: string; text: string }[]): Promise<Report[]> {
  const { dir, cleanup } = tempDir();
  try {
    const input = path.join(dir, 'scripts.json');
    fs.writeFileSync(input, JSON.stringify(scripts));
    const run = await runScript(
      `& '${CHECKER.replace(/'/g, "''")}' -InputFile '${input.replace(/'/g, "''")}'`,
    );
    if (run.code !== 0) throw new Error(run.stderr);
    return JSON.parse(run.stdout) as Report[];
  } finally {
    cleanup();
  }
}

const MODULE_DIR = path.join('src', 'lab', 'powershell');

describeWithShell('PowerShell 5.1 compatibility', () => {
  jest.setTimeout(120_000);

  it('finds each PowerShell 7 construct of the sample, on its line', async () => {
    const [report] = await check([file(path.relative(ROOT, SAMPLE))]);
    expect(report?.errors).toEqual([]);
    expect(report?.findings.map(({ construct, line }) => [line, construct])).toEqual([
      [2, 'ternary ? :'],
      [3, 'null-coalescing ??'],
      [4, 'null-coalescing assignment ??='],
      [5, 'null-conditional ?.'],
      [6, 'null-conditional ?[]'],
      [7, 'pipeline chain && ||'],
      [8, 'pipeline chain && ||'],
      [9, 'background operator &'],
      [10, 'ForEach-Object -Parallel'],
      [11, 'ForEach-Object -Parallel'],
      [12, 'unicode escape `u{}'],
      [13, 'ConvertFrom-Json -AsHashtable'],
      [14, 'command Get-Error'],
      [15, 'clean block'],
    ]);
  });

  it('reports a parse error as one', async () => {
    const [report] = await check([{ name: 'broken', text: 'throw "No agent at $agentScript: copy it"' }]);
    expect(report?.errors).toEqual([expect.stringMatching(/^1: Variable reference is not valid/)]);
  });

  it('passes every script text the agent sends, the lab module and the agent installer', async () => {
    const sent = Object.entries(agentScripts()).map(([name, text]) => ({ name, text }));
    const module = fs
      .readdirSync(path.join(ROOT, MODULE_DIR))
      .filter((name) => /\.ps[dm]?1$/.test(name))
      .map((name) => file(path.join(MODULE_DIR, name)));
    const reports = await check([...sent, ...module, file('infra/agent/Install-HybridOpsAgent.ps1')]);
    expect(reports.length).toBe(sent.length + module.length + 1);
    expect(module.length).toBeGreaterThanOrEqual(7);
    expect(reports.filter((report) => report.errors.length > 0 || report.findings.length > 0)).toEqual([]);
  });

  it("passes the .ps1 export of every runbook's plan (EMS commands and Graph PowerShell)", async () => {
    // With the dedicated application deployed, every runbook plans (shared-sp-cleanup is refused without it).
    const lab = await openLabFixture({ dedicatedApp: true });
    try {
      const scripts = [];
      const tenantId = lab.onDisk().tenant.tenantId;
      for (const runbook of RUNBOOKS) {
        const inputs = validateInputs(runbook, {
          domain: DOMAIN,
          dc: DC,
          tenantId,
          applicationAccount: true,
          acknowledged: true,
        });
        const { plan } = await planRunbook(runbook, inputs, {
          ems: lab.session.ems,
          graph: lab.session.graph,
          clock: lab.clock,
        });
        scripts.push({ name: `${runbook.name}.ps1`, text: planScript(plan) });
      }
      expect(scripts).toHaveLength(RUNBOOKS.length);
      // And the dedicated application made from nothing: New-MgApplication, New-MgServicePrincipal, the consent.
      scripts.push({
        name: 'dedicated-hybrid-app-new.ps1',
        text: planScript(await planDedicatedAppFromNothing()),
      });
      const all = scripts.map(({ text }) => text).join('\n');
      for (const cmdlet of [
        'Update-MgServicePrincipal -ServicePrincipalId',
        'Update-MgApplication -ApplicationId',
        '= New-MgApplication -DisplayName',
        '= New-MgServicePrincipal -AppId',
        'New-MgServicePrincipalAppRoleAssignment -ServicePrincipalId',
      ])
        expect(all).toContain(cmdlet);
      const reports = await check(scripts);
      expect(reports.filter((report) => report.errors.length > 0 || report.findings.length > 0)).toEqual([]);
    } finally {
      await lab.close();
    }
  });
});
