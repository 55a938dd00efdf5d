# Recipients: New-MailUser, Get-MailUser, Set-MailUser. Part of HybridOps.Lab (see HybridOps.Lab.psm1).

<# Reference sets: DisabledUser, EnabledUser, EnableRoomMailboxAccount, FederatedUser, HVEAccount,
   MicrosoftOnlineServicesFederatedUser, MicrosoftOnlineServicesID. Only DisabledUser exists on-premises
   without -Password/-FederatedIdentity/-MicrosoftOnlineServicesID. -ApplicationAccount is not in the
   reference; the Teams integration article uses it, and the lab can model builds that refuse it. #>
function New-MailUser {
    [CmdletBinding(PositionalBinding = $false, DefaultParameterSetName = 'DisabledUser', SupportsShouldProcess = $true, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory = $true, Position = 0)]
        [string]$Name,

        [Parameter(Mandatory = $true, ParameterSetName = 'DisabledUser')]
        [string]$ExternalEmailAddress,

        [switch]$ApplicationAccount,

        [string]$Alias,

        [string]$DomainController
    )
    Invoke-LabCmdlet $PSCmdlet $PSBoundParameters
}

<# Reference sets: AnrSet, Identity, HVEAccount; Identity is the one bound by -Identity. #>
function Get-MailUser {
    [CmdletBinding(PositionalBinding = $false, DefaultParameterSetName = 'Identity')]
    param(
        [Parameter(ParameterSetName = 'Identity', Position = 0)]
        [string]$Identity,

        [string]$DomainController
    )
    Invoke-LabCmdlet $PSCmdlet $PSBoundParameters
}

<# Reference sets: Identity and the Exchange Online hold switches' sets. #>
function Set-MailUser {
    [CmdletBinding(PositionalBinding = $false, DefaultParameterSetName = 'Identity', SupportsShouldProcess = $true, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory = $true, Position = 0)]
        [string]$Identity,

        [bool]$HiddenFromAddressListsEnabled,

        [string]$DomainController
    )
    Invoke-LabCmdlet $PSCmdlet $PSBoundParameters
}
