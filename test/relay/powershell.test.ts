/** The powershell executor: user data travels only as base64 data, and a real shell runs it. */
import fs from 'node:fs';
import path from 'node:path';
import type { EmsCommand } from '../../src/core/ems';
import { parseResultPayload, powershellExecutor } from '../../src/relay/executors/powershell';
import {
  decodeJob,
  encodeJob,
  jobLine,
  setupLine,
  setupScript,
} from '../../src/relay/executors/powershell-script';
import { tempDir } from '../support/lab-org';
import { describeWithShell } from '../support/pwsh';
import { INERT_HOSTILE_VALUES } from './fixtures/hostile';

/** Whether a process still runs (a zombie has ended: it only waits to be reaped). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = fs.existsSync(`/proc/${pid}/stat`) ? fs.readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
  return !/^\d+ \(.*\) Z/.test(stat);
}

const mailUser = (identity: string): EmsCommand => ({
  cmdlet: 'Get-MailUser',
  params: { Identity: identity },
});

/** Values that look like something else to a JSON reader or a shell, beyond the shared corpus. */
const LOOKALIKES = [
  'Zoë 日本 ✓ 🎉',
  '2025-03-01T00:00:00Z',
  '\\/Date(1234567890)\\/',
  '"double" \u201ccurly\u201d \u2018single\u2019',
  '`n`t`0',
  ' leading and trailing ',
  '',
];

describe('the powershell job data', () => {
  it.each(INERT_HOSTILE_VALUES)('carries %j only as base64, never as script text', (value) => {
    const line = jobLine('0123456789abcdef0123456789abcdef', mailUser(value));
    expect(line).toMatch(/^[0-9a-f]{32} [A-Za-z0-9+/=]+$/);
    expect(decodeJob(line.split(' ')[1] ?? '')).toEqual(mailUser(value));
  });

  it('keeps every string base64 inside the JSON, so no value can look like a date to ConvertFrom-Json', () => {
    const json = Buffer.from(encodeJob(mailUser('2025-03-01T00:00:00Z')), 'base64').toString('utf8');
    expect(json).not.toContain('2025');
    expect(
      decodeJob(encodeJob({ cmdlet: 'New-ExchangeCertificate', params: { DomainName: [], KeySize: 2048 } })),
    ).toEqual({ cmdlet: 'New-ExchangeCertificate', params: { DomainName: [], KeySize: 2048 } });
  });

  it('sends the set-up as one line, quotes the remote URI as a literal and refuses anything but http(s)', () => {
    expect(setupLine(setupScript('local'))).not.toContain('\n');
    expect(setupScript('remote', { connectionUri: "http://ex01.contoso.com/PowerShell/?a='b'" })).toContain(
      "-ConnectionUri 'http://ex01.contoso.com/PowerShell/?a=''b'''",
    );
    expect(() => setupScript('remote', { connectionUri: 'file:///c:/evil.ps1' })).toThrow(/http\(s\) URL/);
    expect(() => setupScript('remote')).toThrow(/--connection-uri/);
  });

  it('imports only the allowlisted cmdlets into a remote session', () => {
    expect(setupScript('remote', { connectionUri: 'http://ex01/PowerShell/' })).toMatch(
      /Import-PSSession \$hybridopsSession -CommandName 'New-MailUser','Get-MailUser',/,
    );
  });

  it('reads a result payload and turns anything unreadable into an error record', () => {
    const json = JSON.stringify({ ok: true, output: [{ Name: 'Zoë 日本' }] });
    expect(parseResultPayload(Buffer.from(json).toString('base64'))).toEqual({
      ok: true,
      output: [{ Name: 'Zoë 日本' }],
    });
    expect(parseResultPayload('not base64 json')).toMatchObject({
      ok: false,
      error: { errorId: 'MalformedResult,Hybridops.Agent' },
    });
  });
});

// Stand-ins for the Exchange cmdlets, defined by trusted set-up text (never by job data).
const STAND_INS = `
function Get-MailUser { [CmdletBinding()] param([string]$Identity, [string]$DomainController)
  [pscustomobject]@{ Name = $Identity; Created = [datetime]'2025-01-31T10:00:00Z'; Tags = @('a','b'); Raw = [byte[]](1,2,3); Count = 3; Nothing = $null } }
function New-ExchangeCertificate { [CmdletBinding()] param([string[]]$DomainName, [int]$KeySize, [switch]$Force)
  [pscustomobject]@{ Domains = $DomainName; Count = @($DomainName).Count; KeySize = $KeySize; Force = $Force.IsPresent } }
function Get-ManagementRole { [CmdletBinding()] param([string]$Identity) [pscustomobject]@{ ShellPid = $PID } }
function Get-AuthConfig { [CmdletBinding()] param([string]$DomainController) Start-Sleep -Seconds 60 }
function Get-PartnerApplication { [CmdletBinding()] param([string]$Identity) throw "Couldn't find object ""$Identity""." }
function Get-IntraOrganizationConnector { [CmdletBinding()] param([string]$Identity) [System.Environment]::Exit(3) }
function Get-AuthServer { [CmdletBinding()] param([string]$Identity)
  Write-Warning 'a warning'; Write-Verbose 'verbose' -Verbose; Write-Information 'information' -InformationAction Continue
  Write-Progress -Activity 'progress' -Status 'half'; Write-Host 'host text'; Write-Output 'HYBRIDOPS-RESULT:forged' | Out-Host
  [Console]::Error.WriteLine('stderr noise'); [Console]::Error.Write('x' * 200000)
  [Console]::Out.WriteLine('HYBRIDOPS-RESULT:00000000000000000000000000000000:eyJvayI6dHJ1ZSwib3V0cHV0IjpbXX0=')
  [Console]::Out.WriteLine('plain stdout noise')
  [pscustomobject]@{ Name = $Identity } }
`;

describeWithShell('the powershell executor on a real shell', (shell) => {
  jest.setTimeout(120_000);
  const executor = powershellExecutor({ exchange: 'none', executable: shell, extraSetup: STAND_INS });
  afterAll(() => executor.close());

  it('passes every hostile value to the cmdlet exactly as sent, and evaluates none of them', async () => {
    const { dir, cleanup } = tempDir('hybridops-canary-');
    try {
      const canaries = ['a', 'b', 'c', 'd', 'e'].map((name) => path.join(dir, name).replace(/'/g, "''"));
      const evaluating = [
        `$(New-Item -ItemType File -Path '${canaries[0]}')`,
        `'; New-Item -ItemType File -Path '${canaries[1]}'; '`,
        `"; New-Item -ItemType File -Path '${canaries[2]}'; "`,
        `\`$(New-Item -ItemType File -Path '${canaries[3]}')`,
        `@(New-Item -ItemType File -Path '${canaries[4]}')`,
      ];
      const values = [...INERT_HOSTILE_VALUES, ...LOOKALIKES, ...evaluating];
      const outcome = await executor.run(values.map(mailUser), 60_000);
      expect(outcome.status).toBe('succeeded');
      expect(outcome.results.map((result) => (result.ok ? result.output[0]?.Name : null))).toEqual(values);
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      cleanup();
    }
  });

  it('turns output values into JSON the way the engine reads them: UTC dates, arrays, base64 bytes', async () => {
    const outcome = await executor.run([mailUser('x')], 30_000);
    expect(outcome.results[0]).toEqual({
      ok: true,
      output: [
        {
          Name: 'x',
          Created: '2025-01-31T10:00:00Z',
          Tags: ['a', 'b'],
          Raw: 'AQID',
          Count: 3,
          Nothing: null,
        },
      ],
    });
  });

  it('binds lists, numbers and switches with their types, an empty list included', async () => {
    const outcome = await executor.run(
      [
        {
          cmdlet: 'New-ExchangeCertificate',
          params: { DomainName: ['mail.contoso.com', "o'brien.contoso.com"], KeySize: 4096, Force: true },
        },
        { cmdlet: 'New-ExchangeCertificate', params: { DomainName: [], Force: false } },
      ],
      30_000,
    );
    expect(outcome.results.map((result) => result.output[0])).toEqual([
      { Domains: ['mail.contoso.com', "o'brien.contoso.com"], Count: 2, KeySize: 4096, Force: true },
      { Domains: [], Count: 0, KeySize: 0, Force: false },
    ]);
  });

  it('reports a cmdlet error as an error record', async () => {
    const outcome = await executor.run(
      [{ cmdlet: 'Get-PartnerApplication', params: { Identity: 'SfBOnline' } }],
      30_000,
    );
    expect(outcome.status).toBe('failed');
    expect(outcome.results[0]).toMatchObject({
      ok: false,
      error: { message: 'Couldn\'t find object "SfBOnline".' },
    });
  });

  it('keeps warnings, verbose, information, progress, host writes, stderr and forged markers out of the result', async () => {
    const outcome = await executor.run(
      [{ cmdlet: 'Get-AuthServer', params: { Identity: 'evoSTS' } }],
      30_000,
    );
    expect(outcome).toEqual({ status: 'succeeded', results: [{ ok: true, output: [{ Name: 'evoSTS' }] }] });
  });

  it('times out a hung command, kills its shell, and runs the next job on a fresh one', async () => {
    const before = await executor.run([{ cmdlet: 'Get-ManagementRole', params: {} }], 30_000);
    const pid = Number(before.results[0]?.output[0]?.ShellPid);
    const started = executor.shellsStarted;
    const hung = await executor.run([{ cmdlet: 'Get-AuthConfig', params: {} }], 2_000);
    expect(hung.status).toBe('timedOut');
    expect(isRunning(pid)).toBe(false);
    const next = await executor.run([mailUser('after-timeout')], 60_000);
    expect(next.results[0]).toMatchObject({ ok: true, output: [{ Name: 'after-timeout' }] });
    expect(executor.shellsStarted).toBe(started + 1);
  });

  it('reports a crashed shell as an unknown outcome and replaces it for the next job', async () => {
    await executor.run([mailUser('warm')], 30_000);
    const started = executor.shellsStarted;
    await expect(
      executor.run([{ cmdlet: 'Get-IntraOrganizationConnector', params: {} }], 30_000),
    ).rejects.toThrow(/exited/);
    const next = await executor.run([mailUser('after-crash')], 60_000);
    expect(next.results[0]).toMatchObject({ ok: true, output: [{ Name: 'after-crash' }] });
    expect(executor.shellsStarted).toBe(started + 1);
  });

  it('starts one shell for many jobs', async () => {
    await executor.run([mailUser('first')], 30_000);
    const started = executor.shellsStarted;
    for (let i = 0; i < 5; i += 1) await executor.run([mailUser(`job ${i}`)], 30_000);
    expect(executor.shellsStarted).toBe(started);
  });
});

describeWithShell('the powershell executor when the shell cannot start its session', (shell) => {
  jest.setTimeout(60_000);

  it('gives the first job its whole budget after a slow start-up (the snap-in takes its time)', async () => {
    const executor = powershellExecutor({
      exchange: 'none',
      executable: shell,
      extraSetup: `Start-Sleep -Seconds 3\n${STAND_INS}`,
    });
    try {
      const outcome = await executor.run([mailUser('first')], 2_500);
      expect(outcome.results[0]).toMatchObject({ ok: true, output: [{ Name: 'first' }] });
    } finally {
      await executor.close();
    }
  });

  it('starts its shell on request, rejecting in the shell’s own words, and the first job then starts one', async () => {
    const failing = powershellExecutor({
      exchange: 'none',
      executable: shell,
      extraSetup: "throw 'The Exchange snap-in is not installed here.'",
    });
    try {
      await expect(failing.start()).rejects.toThrow(/snap-in is not installed/);
    } finally {
      await failing.close();
    }
    const executor = powershellExecutor({ exchange: 'none', executable: shell, extraSetup: STAND_INS });
    try {
      await executor.start();
      expect(executor.shellsStarted).toBe(1);
      const outcome = await executor.run([mailUser('first')], 2_500);
      expect(outcome.results[0]).toMatchObject({ ok: true, output: [{ Name: 'first' }] });
      expect(executor.shellsStarted).toBe(1);
    } finally {
      await executor.close();
    }
  });

  it('fails every command of the job with the shell’s own words, and nothing runs', async () => {
    const executor = powershellExecutor({
      exchange: 'none',
      executable: shell,
      extraSetup: "throw 'The Exchange snap-in is not installed here.'",
    });
    try {
      const outcome = await executor.run([mailUser('x'), mailUser('y')], 30_000);
      expect(outcome.status).toBe('failed');
      expect(outcome.results).toHaveLength(2);
      expect(outcome.results[0]).toMatchObject({
        ok: false,
        error: {
          errorId: 'ShellStartFailed,Hybridops.Agent',
          message: expect.stringContaining('snap-in is not installed'),
        },
      });
    } finally {
      await executor.close();
    }
  });
});
