/**
 * The fixed PowerShell texts the powershell executor sends. User data never appears in them as code: a
 * command travels as base64 JSON, is decoded with ConvertFrom-Json and splatted as a hashtable.
 */
import { CMDLET_NAMES, type EmsCommand } from '../../core/ems';
import { CodedError } from '../../core/errors';
import { quoteLiteral } from '../../exchange/render';
import { findControlCharacter } from '../../exchange/validate';

/** The marker in front of the base64 JSON result line. */
export const RESULT_MARKER = 'HYBRIDOPS-RESULT:';

/** How the shell reaches Exchange: the local snap-in on an Exchange server, a remote EMS session, or none (tests). */
export type ExchangeSession = 'local' | 'remote' | 'none';

const PRELUDE = `
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
[Console]::OutputEncoding = [System.Text.Encoding]::UTF8
$OutputEncoding = [System.Text.Encoding]::UTF8
function ConvertTo-HybridopsValue($value) {
  if ($null -eq $value) { return $null }
  if ($value -is [string] -or $value -is [bool] -or $value -is [int] -or $value -is [long] -or $value -is [double]) { return $value }
  if ($value -is [datetime]) { return $value.ToUniversalTime().ToString('o') }
  if ($value -is [System.Collections.IEnumerable]) { return @($value | ForEach-Object { if ($null -eq $_) { $null } else { $_.ToString() } }) }
  return $value.ToString()
}
function ConvertTo-HybridopsRow($object) {
  $row = [ordered]@{}
  foreach ($property in $object.PSObject.Properties) { $row[$property.Name] = ConvertTo-HybridopsValue $property.Value }
  return $row
}
function Write-HybridopsResult($result) {
  $json = ConvertTo-Json -InputObject $result -Depth 6 -Compress
  [Console]::Out.WriteLine('${RESULT_MARKER}' + [System.Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes($json)))
}
`;

/** The one-time set-up of a fresh shell: UTF-8, helpers, then the Exchange session. */
export function setupScript(session: ExchangeSession, connectionUri?: string): string {
  switch (session) {
    case 'none':
      return PRELUDE;
    case 'local':
      return `${PRELUDE}\nAdd-PSSnapin Microsoft.Exchange.Management.PowerShell.SnapIn`;
    case 'remote': {
      const uri = checkedUri(connectionUri);
      const names = CMDLET_NAMES.map(quoteLiteral).join(',');
      return `${PRELUDE}
$hybridopsSession = New-PSSession -ConfigurationName Microsoft.Exchange -ConnectionUri ${quoteLiteral(uri)} -Authentication Kerberos
Import-PSSession $hybridopsSession -CommandName ${names} -AllowClobber -DisableNameChecking | Out-Null`;
    }
  }
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

/** The fixed template for one validated command: the command itself is only ever base64 data. */
export function commandScript(command: EmsCommand): string {
  const data = Buffer.from(JSON.stringify(command), 'utf8').toString('base64');
  return `
$hybridopsJob = [System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String('${data}')) | ConvertFrom-Json
$hybridopsParams = @{}
foreach ($p in $hybridopsJob.params.PSObject.Properties) {
  $v = $p.Value
  if ($v -is [System.Array]) { $v = [string[]]@($v) }
  $hybridopsParams[$p.Name] = $v
}
try {
  $hybridopsOut = @(& $hybridopsJob.cmdlet @hybridopsParams)
  Write-HybridopsResult @{ ok = $true; output = @($hybridopsOut | ForEach-Object { ConvertTo-HybridopsRow $_ }) }
} catch {
  Write-HybridopsResult @{ ok = $false; output = @(); error = @{ message = [string]$_.Exception.Message; category = [string]$_.CategoryInfo.Category; errorId = [string]$_.FullyQualifiedErrorId } }
}`;
}
