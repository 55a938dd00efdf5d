<#
.SYNOPSIS
Installs the bundled hybridops relay agent on an Exchange server and registers it as a scheduled task that
starts at boot and restarts after a failure.

.DESCRIPTION
Run in an elevated Windows PowerShell on the Exchange server, from the agent folder that `npm run build`
makes (dist\agent: hybridops-agent.js, better_sqlite3.node and this script). It copies the agent to
InstallDirectory, registers the event log source, and registers the task. The task runs as the given
account, which must hold the Exchange RBAC roles the runbooks need. The agent dials out only (TCP 443 to the
bot); nothing listens on this server. Node.js must be installed, in the major version the agent was built
with (the agent says so at start if it is not).

.EXAMPLE
.\Install-HybridOpsAgent.ps1 -HubUrl 'wss://hybridops.contoso.com/relay' -AgentId 'ex01' `
  -KeyFile 'C:\hybridops\ex01.key.json' -Credential (Get-Credential 'CONTOSO\svc-hybridops')
#>
[CmdletBinding(SupportsShouldProcess)]
param(
  [Parameter(Mandatory)]
  [ValidatePattern('^wss://[^\s"]+/relay$')]
  [string] $HubUrl,

  [Parameter(Mandatory)]
  [ValidatePattern('^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$')]
  [string] $AgentId,

  [Parameter(Mandatory)]
  [ValidateScript({ Test-Path -LiteralPath $_ -PathType Leaf })]
  [string] $KeyFile,

  [Parameter(Mandatory)]
  [pscredential] $Credential,

  [ValidateSet('local', 'remote')]
  [string] $Exchange = 'local',

  # Where the built agent is: by default the folder this script was copied with.
  [string] $ArtifactDirectory = $PSScriptRoot,

  [ValidatePattern('^[^"]+$')]
  [string] $InstallDirectory = (Join-Path $env:ProgramFiles 'hybridops-agent'),

  # The rotating log (the agent numbers it: ex01.1.log, ex01.2.log, ...; daily or at 10 MB, 14 kept).
  [ValidatePattern('^[^"]+$')]
  [string] $LogFile = '',

  [string] $TaskName = 'hybridops relay agent'
)

$ErrorActionPreference = 'Stop'

$artifact = @('hybridops-agent.js', 'better_sqlite3.node')
foreach ($name in $artifact) {
  if (-not (Test-Path -LiteralPath (Join-Path $ArtifactDirectory $name) -PathType Leaf)) {
    throw "No $name in ${ArtifactDirectory}: run npm run build and copy its dist\agent folder here first."
  }
}
if (-not $LogFile) {
  $LogFile = Join-Path $InstallDirectory ('logs\' + $AgentId + '.log')
}

$node = (Get-Command -Name 'node.exe' -CommandType Application).Source
$agentScript = Join-Path $InstallDirectory 'hybridops-agent.js'

# Every value is validated above and quoted here; none can carry a quote of its own.
$arguments = @($agentScript, '--hub', $HubUrl, '--id', $AgentId, '--key-file', $KeyFile, '--exchange', $Exchange, '--log-file', $LogFile)
$argumentLine = ($arguments | ForEach-Object { '"{0}"' -f $_ }) -join ' '

$action = New-ScheduledTaskAction -Execute $node -Argument $argumentLine -WorkingDirectory $InstallDirectory
$trigger = New-ScheduledTaskTrigger -AtStartup
$settings = New-ScheduledTaskSettingsSet -StartWhenAvailable -RestartCount 999 `
  -RestartInterval (New-TimeSpan -Minutes 1) -ExecutionTimeLimit ([TimeSpan]::Zero)

if ($PSCmdlet.ShouldProcess($InstallDirectory, 'Copy the hybridops relay agent')) {
  $existing = Get-ScheduledTask -TaskName $TaskName -ErrorAction SilentlyContinue
  if ($existing) {
    # An upgrade: stop the running agent so its files can be replaced (it finishes or journals its job).
    Stop-ScheduledTask -TaskName $TaskName
  }
  New-Item -ItemType Directory -Force -Path $InstallDirectory | Out-Null
  foreach ($name in $artifact) {
    Copy-Item -LiteralPath (Join-Path $ArtifactDirectory $name) -Destination $InstallDirectory -Force
  }
  # Registers the event source while elevated (eventcreate makes it on first use), and records the install.
  & eventcreate.exe /L APPLICATION /T INFORMATION /SO 'hybridops relay agent' /ID 100 /D "hybridops relay agent $AgentId installed in $InstallDirectory" | Out-Null
}

if ($PSCmdlet.ShouldProcess($TaskName, 'Register the hybridops relay agent task')) {
  $userName = $Credential.UserName
  $password = $Credential.GetNetworkCredential().Password
  Register-ScheduledTask -TaskName $TaskName -Action $action -Trigger $trigger -Settings $settings `
    -User $userName -Password $password -RunLevel Highest -Force | Out-Null
  Start-ScheduledTask -TaskName $TaskName
  Write-Host "Registered and started '$TaskName'. Its log: $LogFile. Check it from the bot with: hybridops agents list"
}
