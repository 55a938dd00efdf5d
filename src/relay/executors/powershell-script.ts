/**
 * The fixed PowerShell texts the powershell executor sends. User data never appears in them as code: a job
 * line carries the command as base64 JSON whose strings are themselves base64, decoded with ConvertFrom-Json
 * into an ordered hashtable and splatted onto the cmdlet. Every text here parses in Windows PowerShell 5.1
 * (Exchange's own shell) and uses no PowerShell 7 syntax (checked by test/powershell/ps51-syntax.test.ts).
 */
import { CMDLET_NAMES, type EmsCommand } from '../../core/ems';
import { CodedError } from '../../core/errors';
import { quoteLiteral } from '../../exchange/render';
import { findControlCharacter } from '../../exchange/validate';

/** The marker in front of `<token>:<base64 JSON result>` on a result line. */
export const RESULT_MARKER = 'HYBRIDOPS-RESULT:';
/** Printed once the set-up ran to its end. */
export const READY_MARKER = 'HYBRIDOPS-READY';
/** Printed when the set-up fails, followed by the error's message in base64. */
export const SETUP_ERROR_MARKER = 'HYBRIDOPS-SETUP-ERROR:';
/** Printed first by the set-up, followed by the shell's process id (a launcher may stand between us and it). */
export const PID_MARKER = 'HYBRIDOPS-PID:';
/** Printed by the job loop when it starts reading job lines, followed by `<token>`. */
export const LOOP_MARKER = 'HYBRIDOPS-LOOP:';

/** How the shell reaches Exchange: the local snap-in, a remote EMS session, the lab module, or nothing (tests). */
export type ExchangeSession = 'local' | 'remote' | 'lab' | 'none';

/** The lab module to import instead of Exchange; its endpoint and secret reach it through the environment. */
export interface LabModuleSession {
  /** Full path of HybridOps.Lab.psd1. */
  readonly modulePath: string;
}

/**
 * Helpers every shell gets. Strings arrive base64 (ConvertFrom-Json in PowerShell 7 would turn a value that
 * looks like a date into a [datetime]); results leave as one base64 line, so nothing a cmdlet prints (warnings,
 * Write-Host, stray [Console] writes) can be mistaken for one without the job's random token.
 */
const PRELUDE = `
[Console]::Out.WriteLine('${PID_MARKER}' + $PID)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
[Console]::OutputEncoding = New-Object System.Text.UTF8Encoding $false
$OutputEncoding = New-Object System.Text.UTF8Encoding $false
$HybridopsAllowed = [string[]]@(${CMDLET_NAMES.map(quoteLiteral).join(', ')})
function ConvertFrom-HybridopsText([string]$Text) {
  return [System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String($Text))
}
function ConvertFrom-HybridopsParam($Value) {
  if ($Value -is [string]) { return (ConvertFrom-HybridopsText $Value) }
  if ($Value -is [System.Array]) {
    $items = [System.Collections.Generic.List[string]]::new()
    foreach ($item in $Value) { $items.Add((ConvertFrom-HybridopsText $item)) }
    return ,$items.ToArray()
  }
  return $Value
}
$HybridopsInvariant = [System.Globalization.CultureInfo]::InvariantCulture
function ConvertTo-HybridopsRow($Object) {
  $row = [ordered]@{}
  foreach ($property in $Object.PSObject.Properties) {
    $value = $property.Value
    if ($null -eq $value -or $value -is [string] -or $value -is [bool] -or $value -is [int] -or $value -is [long] -or $value -is [double]) {
    } elseif ($value -is [datetime]) {
      $utc = $value.ToUniversalTime()
      if ($utc.Ticks % 10000000 -eq 0) { $value = $utc.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'", $HybridopsInvariant) }
      else { $value = $utc.ToString('o', $HybridopsInvariant) }
    } elseif ($value -is [byte[]]) {
      $value = [System.Convert]::ToBase64String($value)
    } elseif ($value -is [System.Collections.IEnumerable]) {
      $items = [System.Collections.Generic.List[object]]::new()
      foreach ($item in $value) { if ($null -eq $item) { $items.Add($null) } else { $items.Add($item.ToString()) } }
      $value = $items.ToArray()
    } else {
      $value = $value.ToString()
    }
    $row[$property.Name] = $value
  }
  return $row
}
function Invoke-HybridopsCommand([string]$Job) {
  try {
    $command = (ConvertFrom-HybridopsText $Job) | ConvertFrom-Json
    $name = [string]$command.cmdlet
    if ($HybridopsAllowed -cnotcontains $name) { throw "The cmdlet '$name' is not on the allowlist." }
    $splat = [ordered]@{}
    foreach ($p in $command.params.PSObject.Properties) { $splat[$p.Name] = ConvertFrom-HybridopsParam $p.Value }
    $output = @(& $name @splat 3>$null 4>$null 5>$null 6>$null)
    $rows = [System.Collections.Generic.List[object]]::new()
    foreach ($item in $output) { $rows.Add((ConvertTo-HybridopsRow $item)) }
    return @{ ok = $true; output = $rows.ToArray() }
  } catch {
    $record = $_
    return @{ ok = $false; output = @(); error = @{ message = [string]$record.Exception.Message; category = [string]$record.CategoryInfo.Category; errorId = [string]$record.FullyQualifiedErrorId } }
  }
}
function Write-HybridopsResult([string]$Token, $Result) {
  $json = ConvertTo-Json -InputObject $Result -Depth 6 -Compress
  [Console]::Out.WriteLine('${RESULT_MARKER}' + $Token + ':' + [System.Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes($json)))
  [Console]::Out.Flush()
}
function Start-HybridopsJobLoop([string]$Token) {
  [Console]::Out.WriteLine('${LOOP_MARKER}' + $Token)
  [Console]::Out.Flush()
  while ($true) {
    $line = [Console]::In.ReadLine()
    if ($null -eq $line) { break }
    $parts = $line.Trim().Split(' ')
    if ($parts.Length -ne 2) { continue }
    Write-HybridopsResult $parts[0] (Invoke-HybridopsCommand $parts[1])
  }
}
`;

/** What a set-up needs besides the session kind. */
export interface SetupOptions {
  readonly connectionUri?: string;
  readonly lab?: LabModuleSession;
  /** Extra trusted set-up text (tests define stand-in cmdlets with it); never job data. */
  readonly extra?: string;
}

/** The set-up text of a session kind, before the ready marker (trusted text: no job data). */
function sessionScript(session: ExchangeSession, { connectionUri, lab }: SetupOptions): string {
  switch (session) {
    case 'none':
      return '';
    case 'lab':
      if (!lab)
        throw new CodedError('BAD_AGENT_OPTIONS', 'A lab session needs the HybridOps.Lab module path.');
      return `Import-Module ${quoteLiteral(checkedText(lab.modulePath, 'module path'))} -DisableNameChecking`;
    case 'local':
      return `if ($PSVersionTable.PSEdition -eq 'Core') { throw 'The Exchange snap-in loads only in Windows PowerShell 5.1 (powershell.exe) on an Exchange server, not in PowerShell 7 (pwsh).' }
Add-PSSnapin Microsoft.Exchange.Management.PowerShell.SnapIn`;
    case 'remote': {
      const uri = checkedUri(connectionUri);
      const names = CMDLET_NAMES.map(quoteLiteral).join(',');
      return `$hybridopsSession = New-PSSession -ConfigurationName Microsoft.Exchange -ConnectionUri ${quoteLiteral(uri)} -Authentication Kerberos
Import-PSSession $hybridopsSession -CommandName ${names} -AllowClobber -DisableNameChecking | Out-Null`;
    }
  }
}

/** The one-time set-up of a fresh shell: UTF-8, the helpers, the Exchange session, then the ready marker. */
export function setupScript(session: ExchangeSession, options: SetupOptions = {}): string {
  // The session's error comes back as one marked line: pwsh formats an uncaught error over several lines.
  return `${PRELUDE}
try {
${sessionScript(session, options)}
${options.extra ?? ''}
} catch {
  [Console]::Out.WriteLine('${SETUP_ERROR_MARKER}' + [System.Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes([string]$_.Exception.Message)))
  throw
}
[Console]::Out.WriteLine('${READY_MARKER}')`;
}

/**
 * The set-up as the single line the shell reads: `pwsh -Command -` runs stdin line by line, so a multi-line
 * block would wait for more input. The text is trusted; base64 only keeps it on one line.
 */
export function setupLine(script: string): string {
  const data = Buffer.from(script, 'utf8').toString('base64');
  return `. ([scriptblock]::Create([System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String('${data}'))))`;
}

/** The line that hands stdin over to the job loop; `token` is the executor's random hex. */
export function loopLine(token: string): string {
  if (!/^[0-9a-f]{16,64}$/.test(token)) throw new CodedError('BAD_AGENT_OPTIONS', 'Bad job-loop token.');
  return `Start-HybridopsJobLoop '${token}'`;
}

function checkedText(value: string, what: string): string {
  if (findControlCharacter(value) !== undefined) throw new CodedError('BAD_AGENT_OPTIONS', `Bad ${what}.`);
  return value;
}

function checkedUri(value: string | undefined): string {
  if (!value)
    throw new CodedError(
      'BAD_AGENT_OPTIONS',
      'A remote Exchange session needs --connection-uri http://EXCHANGE/PowerShell/.',
    );
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CodedError('BAD_AGENT_OPTIONS', `--connection-uri "${value}" is not a URL.`);
  }
  if (!/^https?:$/.test(url.protocol) || findControlCharacter(value) !== undefined) {
    throw new CodedError('BAD_AGENT_OPTIONS', '--connection-uri must be an http(s) URL.');
  }
  return value;
}

/** A command as job data: JSON whose every string is base64 (UTF-8), the whole again base64. */
export function encodeJob(command: EmsCommand): string {
  const params: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(command.params)) {
    if (typeof value === 'string') params[name] = base64(value);
    else if (Array.isArray(value)) params[name] = value.map(base64);
    else params[name] = value;
  }
  return base64(JSON.stringify({ cmdlet: command.cmdlet, params }));
}

/** The job data back as a command (tests and diagnostics). */
export function decodeJob(data: string): EmsCommand {
  const raw = JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as {
    cmdlet: EmsCommand['cmdlet'];
    params: Record<string, unknown>;
  };
  const params: Record<string, EmsCommand['params'][string]> = {};
  for (const [name, value] of Object.entries(raw.params)) {
    if (typeof value === 'string') params[name] = unbase64(value);
    else if (Array.isArray(value)) params[name] = value.map((item) => unbase64(String(item)));
    else params[name] = value as boolean | number;
  }
  return { cmdlet: raw.cmdlet, params };
}

/** One job line for the loop: `<token> <job>`; both parts are base64 or hex, so the line is plain ASCII. */
export function jobLine(token: string, command: EmsCommand): string {
  return `${token} ${encodeJob(command)}`;
}

/** Every text the agent sends to a shell, by name (the Windows PowerShell 5.1 check walks each). */
export function agentScripts(): Record<string, string> {
  const lab = { modulePath: '/opt/hybridops/src/lab/powershell/HybridOps.Lab.psd1' };
  // Job lines are data read by the loop's ReadLine, never parsed, so they are not among these.
  return {
    'setup (none)': setupScript('none'),
    'setup (local)': setupScript('local'),
    'setup (remote)': setupScript('remote', { connectionUri: 'http://ex01.contoso.com/PowerShell/' }),
    'setup (lab)': setupScript('lab', { lab }),
    'set-up line': setupLine(setupScript('local')),
    'loop line': loopLine('0123456789abcdef0123456789abcdef'),
  };
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

function unbase64(text: string): string {
  return Buffer.from(text, 'base64').toString('utf8');
}
