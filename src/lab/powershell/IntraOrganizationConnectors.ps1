# Intra-organization connectors: Get/New/Set-IntraOrganizationConnector. Part of HybridOps.Lab (see HybridOps.Lab.psm1).
# -DiscoveryEndpoint is a [Uri] in Exchange and text here, as the spec table types it: the org refuses what [Uri]
# could not bind. -TargetSharingEpr exists only in Exchange Online and is not declared.

function Get-IntraOrganizationConnector {
    [CmdletBinding(PositionalBinding = $false)]
    param(
        [Parameter(Position = 0)]
        [string]$Identity,

        [string]$DomainController
    )
    Invoke-LabCmdlet $PSCmdlet $PSBoundParameters
}

function New-IntraOrganizationConnector {
    [CmdletBinding(PositionalBinding = $false, SupportsShouldProcess = $true, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory = $true, Position = 0)]
        [string]$Name,

        [Parameter(Mandatory = $true)]
        [string]$DiscoveryEndpoint,

        [Parameter(Mandatory = $true)]
        [string[]]$TargetAddressDomains,

        [bool]$Enabled,

        [string]$DomainController
    )
    Invoke-LabCmdlet $PSCmdlet $PSBoundParameters
}

function Set-IntraOrganizationConnector {
    [CmdletBinding(PositionalBinding = $false, SupportsShouldProcess = $true, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory = $true, Position = 0)]
        [string]$Identity,

        [string]$DiscoveryEndpoint,

        [string[]]$TargetAddressDomains,

        [bool]$Enabled,

        [string]$DomainController
    )
    Invoke-LabCmdlet $PSCmdlet $PSBoundParameters
}
