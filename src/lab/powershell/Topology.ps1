# The org's servers, its configuration and its accepted domains: Get-ExchangeServer, Get-OrganizationConfig,
# Get-AcceptedDomain. Part of HybridOps.Lab (see HybridOps.Lab.psm1).

<# Reference sets: Domain (-Domain, not used here), Identity. -Status is not used here. #>
function Get-ExchangeServer {
    [CmdletBinding(PositionalBinding = $false, DefaultParameterSetName = 'Identity')]
    param(
        [Parameter(ParameterSetName = 'Identity', Position = 0)]
        [string]$Identity,

        [string]$DomainController
    )
    Invoke-LabCmdlet $PSCmdlet $PSBoundParameters
}

function Get-OrganizationConfig {
    [CmdletBinding(PositionalBinding = $false)]
    param(
        [string]$DomainController
    )
    Invoke-LabCmdlet $PSCmdlet $PSBoundParameters
}

<# -ResultSize exists only in Exchange Online and is not declared. #>
function Get-AcceptedDomain {
    [CmdletBinding(PositionalBinding = $false)]
    param(
        [Parameter(Position = 0)]
        [string]$Identity,

        [string]$DomainController
    )
    Invoke-LabCmdlet $PSCmdlet $PSBoundParameters
}
