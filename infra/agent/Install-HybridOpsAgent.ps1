<#
.SYNOPSIS
Registers the hybridops relay agent on an Exchange server as a scheduled task that starts at boot and
restarts after a failure.

.DESCRIPTION
Run in an elevated PowerShell on the Exchange server, from the folder where hybridops was copied and
`npm ci --omit=dev` was run. The task runs as the given account, which must hold the Exchange RBAC roles
the runbooks need. The agent dials out only (TCP 443 to the bot); nothing listens on this server.

.EXAMPLE
.\infra\agent\Install-HybridOpsAgent.ps1 -HubUrl 'wss://hybridops.contoso.com/relay' -AgentId 'ex01' `
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

  [string] $InstallDirectory = (Resolve-Path (Join-Path $PSScriptRoot '..\..')).Path,

  [string] $TaskName = 'hybridops relay agent'
)

$ErrorActionPreference = 'Stop'

$node = (Get-Command -Name 'node.exe' -CommandType Application).Source
$agentScript = Join-Path $InstallDirectory 'src\relay\agent.ts'
if (-not (Test-Path -LiteralPath $agentScript)) {
  throw "No agent at ${agentScript}: copy hybridops to $InstallDirectory and run npm ci --omit=dev there first."
}

# Every value is validated above and quoted here; none can carry a quote of its own.
$arguments = @('--require', 'tsx/cjs', $agentScript, '--hub', $HubUrl, '--id', $AgentId, '--key-file', $KeyFile, '--exchange', $Exchange)
$argumentLine = ($arguments | ForEach-Object { '"{0}"' -f $_ }) -join ' '

$action = New-ScheduledTaskAction -Execute $node -Argument $argumentLine -WorkingDirectory $InstallDirectory
$trigger = New-ScheduledTaskTrigger -AtStartup
$settings = New-ScheduledTaskSettingsSet -StartWhenAvailable -RestartCount 999 `
  -RestartInterval (New-TimeSpan -Minutes 1) -ExecutionTimeLimit ([TimeSpan]::Zero)

if ($PSCmdlet.ShouldProcess($TaskName, 'Register the hybridops relay agent task')) {
  $userName = $Credential.UserName
  $password = $Credential.GetNetworkCredential().Password
  Register-ScheduledTask -TaskName $TaskName -Action $action -Trigger $trigger -Settings $settings `
    -User $userName -Password $password -RunLevel Highest -Force | Out-Null
  Start-ScheduledTask -TaskName $TaskName
  Write-Host "Registered and started '$TaskName'. Check it from the bot with: hybridops agents list"
}
