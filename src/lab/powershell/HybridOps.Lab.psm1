<#
HybridOps.Lab: one advanced function per Exchange cmdlet hybridops runs, declared with the parameters
hybridops uses as the Exchange cmdlet reference declares them (names, types, Mandatory, Position, the
parameter sets that exist on-premises and can be bound with those parameters). PowerShell binds the
arguments; each function forwards what was bound to the simulated org of a hybridops lab over its
loopback endpoint, so the org's semantics live in one place (src/lab/). Objects come back with their
properties typed ([datetime], arrays, [byte[]]) and Exchange's type names; errors come back as error
records with the org's message, category and FullyQualifiedErrorId.

The endpoint and its per-session secret come from HYBRIDOPS_LAB_URL and HYBRIDOPS_LAB_SECRET, set by
the lab that started this shell. The reference's "Position: 1" is the first position, declared 0 here.
Windows PowerShell 5.1 compatible.
#>

$script:LabUrl = $env:HYBRIDOPS_LAB_URL
$script:LabSecret = $env:HYBRIDOPS_LAB_SECRET
# The secret stays with this module: processes the shell starts do not inherit it.
[System.Environment]::SetEnvironmentVariable('HYBRIDOPS_LAB_SECRET', $null)

if (-not ('System.Net.Http.HttpClient' -as [type])) { Add-Type -AssemblyName System.Net.Http }
$script:Http = [System.Net.Http.HttpClient]::new()
$script:Invariant = [System.Globalization.CultureInfo]::InvariantCulture
$script:CommonParameters = [string[]]@(
    [System.Management.Automation.PSCmdlet]::CommonParameters +
    [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
)
# What a remote Exchange session gives: the server's FullyQualifiedErrorId, not one re-qualified with the
# name of the function that wrote it (PowerShell appends that for script functions). Null if absent.
$script:SerializedErrorId = [System.Management.Automation.ErrorRecord].GetField(
    '_serializedFullyQualifiedErrorId',
    [System.Reflection.BindingFlags]'NonPublic, Instance'
)

function ConvertTo-LabText([string]$Text) {
    return [System.Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes($Text))
}

function ConvertFrom-LabText([string]$Text) {
    return [System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String($Text))
}

# One bound parameter as [name, kind, value]; strings travel base64 so the JSON is plain ASCII.
function ConvertTo-LabParameter([string]$Name, [type]$Type, $Value) {
    if ($Type -eq [System.Management.Automation.SwitchParameter]) { return , @($Name, 'w', [bool]$Value.IsPresent) }
    if ($Type -eq [bool]) { return , @($Name, 'b', [bool]$Value) }
    if ($Type -eq [int]) { return , @($Name, 'i', [int]$Value) }
    if ($Type -eq [datetime]) {
        $utc = ([datetime]$Value).ToUniversalTime()
        $format = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'"
        if ($utc.Ticks % 10000000 -ne 0) { $format = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffff'Z'" }
        return , @($Name, 'd', $utc.ToString($format, $script:Invariant))
    }
    if ($Type -eq [string[]]) {
        $items = [System.Collections.Generic.List[string]]::new()
        foreach ($item in $Value) { $items.Add((ConvertTo-LabText ([string]$item))) }
        return , @($Name, 'a', $items.ToArray())
    }
    return , @($Name, 's', (ConvertTo-LabText ([string]$Value)))
}

function ConvertFrom-LabValue([string]$Kind, $Value) {
    switch ($Kind) {
        's' { return (ConvertFrom-LabText $Value) }
        'd' { return [datetime]::Parse($Value, $script:Invariant, [System.Globalization.DateTimeStyles]::RoundtripKind) }
        'y' { return , [System.Convert]::FromBase64String($Value) }
        'a' {
            $items = [System.Collections.Generic.List[string]]::new()
            foreach ($item in $Value) { $items.Add((ConvertFrom-LabText $item)) }
            return , $items.ToArray()
        }
        'b' { return [bool]$Value }
        'i' { return [int]$Value }
        'n' { return $null }
    }
    throw "HybridOps.Lab: unknown value kind '$Kind' from the lab."
}

function ConvertFrom-LabObject($Properties, [string]$TypeName) {
    $values = [ordered]@{}
    foreach ($property in $Properties) {
        $values[[string]$property[0]] = ConvertFrom-LabValue ([string]$property[1]) $property[2]
    }
    $object = [pscustomobject]$values
    if ($TypeName) { $object.PSObject.TypeNames.Insert(0, $TypeName) }
    return $object
}

function New-LabErrorRecord($Failure) {
    $reason = ([string]$Failure.errorId).Split(',')[0]
    $category = [System.Management.Automation.ErrorCategory][string]$Failure.category
    $exception = [System.Exception]::new((ConvertFrom-LabText $Failure.message))
    $record = [System.Management.Automation.ErrorRecord]::new($exception, $reason, $category, $null)
    # Exchange's CategoryInfo names its exception type: "NotSpecified: (:) [Get-MailUser], ManagementObjectNotFoundException".
    $record.CategoryInfo.Reason = $reason
    if ($null -ne $script:SerializedErrorId) { $script:SerializedErrorId.SetValue($record, [string]$Failure.errorId) }
    return $record
}

function Send-LabRequest([string]$Body) {
    if (-not $script:LabUrl -or -not $script:LabSecret) {
        throw 'HybridOps.Lab is not connected to a lab: HYBRIDOPS_LAB_URL and HYBRIDOPS_LAB_SECRET must be set before Import-Module.'
    }
    $request = [System.Net.Http.HttpRequestMessage]::new([System.Net.Http.HttpMethod]::Post, $script:LabUrl + 'cmdlet')
    [void]$request.Headers.TryAddWithoutValidation('Authorization', 'Bearer ' + $script:LabSecret)
    $request.Content = [System.Net.Http.StringContent]::new($Body, [System.Text.Encoding]::UTF8, 'application/json')
    $response = $script:Http.SendAsync($request).GetAwaiter().GetResult()
    $text = $response.Content.ReadAsStringAsync().GetAwaiter().GetResult()
    if (-not $response.IsSuccessStatusCode) {
        throw "HybridOps.Lab: the lab answered $([int]$response.StatusCode): $text"
    }
    return $text
}

<#
Runs the calling function's command in the lab: ShouldProcess first (as Exchange does for -WhatIf and
-Confirm), then the bound parameters in binding order, without the common parameters (-Confirm goes
along when given: it is part of the command an admin sees in the org's log).
#>
function Invoke-LabCmdlet([System.Management.Automation.PSCmdlet]$Cmdlet, $Bound) {
    $command = $Cmdlet.MyInvocation.MyCommand
    $target = ''
    foreach ($key in @('Identity', 'Name', 'Thumbprint')) { if ($Bound.ContainsKey($key)) { $target = [string]$Bound[$key]; break } }
    try {
        $proceed = $Cmdlet.ShouldProcess($target, $command.Name)
    } catch [System.Management.Automation.MethodInvocationException] {
        # A prompt in a non-interactive shell: the host's own error, as a compiled cmdlet would get it.
        $Cmdlet.ThrowTerminatingError($_.Exception.InnerException.ErrorRecord)
    }
    if (-not $proceed) { return }
    $parameters = [System.Collections.Generic.List[object]]::new()
    foreach ($key in $Bound.Keys) {
        if ($key -ne 'Confirm' -and $script:CommonParameters -contains $key) { continue }
        $parameters.Add((ConvertTo-LabParameter $key $command.Parameters[$key].ParameterType $Bound[$key]))
    }
    $body = ConvertTo-Json -InputObject @{ cmdlet = $command.Name; params = $parameters.ToArray() } -Depth 5 -Compress
    $answer = (Send-LabRequest $body) | ConvertFrom-Json
    if ($answer.ok) {
        foreach ($properties in $answer.objects) { ConvertFrom-LabObject $properties ([string]$answer.typeName) }
        return
    }
    $record = New-LabErrorRecord $answer.error
    if ($answer.terminating) { $Cmdlet.ThrowTerminatingError($record) }
    $Cmdlet.WriteError($record)
}

. (Join-Path $PSScriptRoot 'Recipients.ps1')
. (Join-Path $PSScriptRoot 'Rbac.ps1')
. (Join-Path $PSScriptRoot 'PartnerApplications.ps1')
. (Join-Path $PSScriptRoot 'Certificates.ps1')
. (Join-Path $PSScriptRoot 'Verification.ps1')
. (Join-Path $PSScriptRoot 'Topology.ps1')
. (Join-Path $PSScriptRoot 'IntraOrganizationConnectors.ps1')
. (Join-Path $PSScriptRoot 'SettingOverrides.ps1')

Export-ModuleMember -Function @(
    'New-MailUser', 'Get-MailUser', 'Set-MailUser',
    'New-ManagementRole', 'Get-ManagementRole', 'Get-ManagementRoleEntry', 'Remove-ManagementRoleEntry',
    'New-ManagementRoleAssignment', 'Get-ManagementRoleAssignment',
    'New-PartnerApplication', 'Get-PartnerApplication', 'Set-PartnerApplication', 'Remove-PartnerApplication',
    'New-AuthServer', 'Get-AuthServer', 'Get-AuthConfig', 'Set-AuthConfig',
    'Get-ExchangeCertificate', 'Export-ExchangeCertificate', 'New-ExchangeCertificate',
    'Test-OAuthConnectivity', 'Get-MailboxAutoReplyConfiguration', 'Get-IntraOrganizationConnector',
    'Get-ExchangeServer', 'Get-OrganizationConfig', 'Get-AcceptedDomain', 'Set-AuthServer',
    'New-IntraOrganizationConnector', 'Set-IntraOrganizationConnector',
    'New-SettingOverride', 'Get-SettingOverride', 'Remove-SettingOverride', 'Get-ExchangeDiagnosticInfo'
)
