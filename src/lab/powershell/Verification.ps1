# Checks: Test-OAuthConnectivity, Get-MailboxAutoReplyConfiguration. Part of HybridOps.Lab (see HybridOps.Lab.psm1).

<# -Service is a ModServiceType enum in Exchange; its three names are the ValidateSet. -TargetUri is a [Uri] in
   Exchange and text here, as the spec table types it. #>
function Test-OAuthConnectivity {
    [CmdletBinding(PositionalBinding = $false, SupportsShouldProcess = $true, ConfirmImpact = 'Low')]
    param(
        [Parameter(Mandatory = $true)]
        [ValidateSet('EWS', 'AutoD', 'Generic')]
        [string]$Service,

        [Parameter(Mandatory = $true)]
        [string]$TargetUri,

        [switch]$AppOnly,

        [string]$Mailbox,

        [switch]$ReloadConfig,

        [switch]$UseCachedToken
    )
    Invoke-LabCmdlet $PSCmdlet $PSBoundParameters
}

function Get-MailboxAutoReplyConfiguration {
    [CmdletBinding(PositionalBinding = $false)]
    param(
        [Parameter(Mandatory = $true, Position = 0)]
        [string]$Identity,

        [string]$DomainController
    )
    Invoke-LabCmdlet $PSCmdlet $PSBoundParameters
}
