# Checks: Test-OAuthConnectivity, Get-MailboxAutoReplyConfiguration. Part of HybridOps.Lab (see HybridOps.Lab.psm1).

function Test-OAuthConnectivity {
    [CmdletBinding(PositionalBinding = $false, SupportsShouldProcess = $true, ConfirmImpact = 'Low')]
    param(
        [Parameter(Mandatory = $true)]
        [string]$Service,

        [Parameter(Mandatory = $true)]
        [string]$TargetUri,

        [string]$Mailbox
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
