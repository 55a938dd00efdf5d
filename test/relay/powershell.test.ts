/** The powershell executor: user data travels only as base64 JSON, and a real shell runs it where one exists. */
import { execFileSync } from 'node:child_process';
import type { EmsCommand } from '../../src/core/ems';
import { parseShellOutput, powershellExecutor } from '../../src/relay/executors/powershell';
import { commandScript, RESULT_MARKER, setupScript } from '../../src/relay/executors/powershell-script';
import { INERT_HOSTILE_VALUES } from './fixtures/hostile';

const mailUser = (identity: string): EmsCommand => ({
  cmdlet: 'Get-MailUser',
  params: { Identity: identity },
});

describe('the powershell command template', () => {
  it.each(INERT_HOSTILE_VALUES)('carries %j only as base64 data, never as script text', (value) => {
    const script = commandScript(mailUser(value));
    const data = /FromBase64String\('([A-Za-z0-9+/=]+)'\)/.exec(script)?.[1] ?? '';
    expect(JSON.parse(Buffer.from(data, 'base64').toString('utf8'))).toEqual(mailUser(value));
    // Everything but the base64 literal is the same fixed text whatever the command.
    expect(script.replace(data, '')).toBe(
      commandScript(mailUser('x')).replace(/FromBase64String\('[^']*'\)/, "FromBase64String('')"),
    );
  });

  it('quotes the remote connection URI as a literal and refuses anything but http(s)', () => {
    expect(setupScript('remote', "http://ex01.contoso.com/PowerShell/?a='b'")).toContain(
      "-ConnectionUri 'http://ex01.contoso.com/PowerShell/?a=''b'''",
    );
    expect(() => setupScript('remote', 'file:///c:/evil.ps1')).toThrow(/http\(s\) URL/);
    expect(() => setupScript('remote')).toThrow(/--connection-uri/);
  });

  it('imports only the allowlisted cmdlets into a remote session', () => {
    expect(setupScript('remote', 'http://ex01/PowerShell/')).toMatch(
      /Import-PSSession \$hybridopsSession -CommandName 'New-MailUser','Get-MailUser',/,
    );
  });

  it('reads the marked result line and turns anything else into an error record', () => {
    const json = JSON.stringify({ ok: true, output: [{ Name: 'Zoë 日本' }] });
    const line = `${RESULT_MARKER}${Buffer.from(json).toString('base64')}`;
    expect(parseShellOutput(`WARNING: noise\n${line}\n`, '')).toEqual({
      ok: true,
      output: [{ Name: 'Zoë 日本' }],
    });
    expect(parseShellOutput('', 'The term is not recognized')).toMatchObject({
      ok: false,
      error: { message: 'The term is not recognized' },
    });
  });
});

function findShell(): string | null {
  for (const name of ['pwsh', 'powershell']) {
    try {
      execFileSync(name, ['-NoProfile', '-NonInteractive', '-Command', '$PSVersionTable.PSVersion.Major'], {
        stdio: 'ignore',
        timeout: 20_000,
      });
      return name;
    } catch {
      // Not installed here; try the next name.
    }
  }
  return null;
}

const shell = findShell();
if (!shell) {
  process.stdout.write(
    'powershell executor: real-shell tests SKIPPED — neither pwsh nor powershell is on PATH.\n',
  );
}

// Stand-ins for the Exchange cmdlets, defined by trusted set-up text (never by job data).
const STAND_INS = `
function Get-MailUser { param([string]$Identity, [string]$DomainController) [pscustomobject]@{ Name = $Identity; Created = [datetime]'2025-01-31T10:00:00Z'; Tags = @('a','b') } }
function Get-AuthConfig { param([string]$DomainController) Start-Sleep -Seconds 60 }
function Get-PartnerApplication { param([string]$Identity) throw "Couldn't find object ""$Identity""." }
`;

(shell ? describe : describe.skip)(`the powershell executor on a real ${shell ?? 'shell'}`, () => {
  jest.setTimeout(120_000);
  const executor = powershellExecutor({
    exchange: 'none',
    executable: shell ?? 'pwsh',
    extraSetup: STAND_INS,
  });
  afterAll(() => executor.close());

  it('passes every hostile value to the cmdlet exactly as sent', async () => {
    const values = [...INERT_HOSTILE_VALUES, 'Zoë 日本 ✓'];
    const outcome = await executor.run(values.map(mailUser), 60_000);
    expect(outcome.status).toBe('succeeded');
    expect(outcome.results.map((result) => (result.ok ? result.output[0]?.Name : null))).toEqual(values);
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

  it('times out a hung command, replaces the shell, and runs the next job on a fresh one', async () => {
    const hung = await executor.run([{ cmdlet: 'Get-AuthConfig', params: {} }], 2_000);
    expect(hung.status).toBe('timedOut');
    const next = await executor.run([mailUser('after-timeout')], 60_000);
    expect(next.results[0]).toMatchObject({ ok: true, output: [{ Name: 'after-timeout' }] });
  });
});
