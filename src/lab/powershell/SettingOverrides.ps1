# Setting overrides and the refresh that makes a server read them: New/Get/Remove-SettingOverride,
# Get-ExchangeDiagnosticInfo. Part of HybridOps.Lab (see HybridOps.Lab.psm1).

<# Exchange takes any component, section and parameters; the ValidateSets are hybridops' own limits (the spec table
   allows only the dedicated Exchange hybrid application's override). -MinVersion and -MaxVersion are not used here. #>
function New-SettingOverride {
    [CmdletBinding(PositionalBinding = $false, SupportsShouldProcess = $true, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory = $true, Position = 0)]
        [string]$Name,

        [Parameter(Mandatory = $true)]
        [ValidateSet('Global')]
        [string]$Component,

        [Parameter(Mandatory = $true)]
        [ValidateSet('ExchangeOnpremAsThirdPartyAppId')]
        [string]$Section,

        [Parameter(Mandatory = $true)]
        [ValidateSet('Enabled=true', 'Enabled=false')]
        [string[]]$Parameters,

        [Parameter(Mandatory = $true)]
        [string]$Reason,

        [string[]]$Server,

        [switch]$Force,

        [string]$DomainController
    )
    Invoke-LabCmdlet $PSCmdlet $PSBoundParameters
}

function Get-SettingOverride {
    [CmdletBinding(PositionalBinding = $false)]
    param(
        [Parameter(Position = 0)]
        [string]$Identity,

        [string]$DomainController
    )
    Invoke-LabCmdlet $PSCmdlet $PSBoundParameters
}

function Remove-SettingOverride {
    [CmdletBinding(PositionalBinding = $false, SupportsShouldProcess = $true, ConfirmImpact = 'High')]
    param(
        [Parameter(Mandatory = $true, Position = 0)]
        [string]$Identity,

        [string]$DomainController
    )
    Invoke-LabCmdlet $PSCmdlet $PSBoundParameters
}

<# Only the Refresh of the topology service's variant configuration: in Exchange -Process, -Component and -Argument
   are optional and take any name, and -Unlimited (not used here) returns everything. -Server is the local server when
   absent. #>
function Get-ExchangeDiagnosticInfo {
    [CmdletBinding(PositionalBinding = $false)]
    param(
        [string]$Server,

        [Parameter(Mandatory = $true)]
        [ValidateSet('Microsoft.Exchange.Directory.TopologyService')]
        [string]$Process,

        [Parameter(Mandatory = $true)]
        [ValidateSet('VariantConfiguration')]
        [string]$Component,

        [Parameter(Mandatory = $true)]
        [ValidateSet('Refresh')]
        [string]$Argument
    )
    Invoke-LabCmdlet $PSCmdlet $PSBoundParameters
}

# The result's text is its XML, as a deserialized result's is, so `[xml]$edi = Get-ExchangeDiagnosticInfo ...` works.
Update-TypeData -TypeName 'Microsoft.Exchange.Management.Powershell.Support.ExchangeDiagnosticInfoResult' -MemberType ScriptMethod -MemberName ToString -Value { [string]$this.Result } -Force
