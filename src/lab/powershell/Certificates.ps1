# The auth configuration and the server's certificates: Get/Set-AuthConfig, Get/Export/New-ExchangeCertificate.
# Part of HybridOps.Lab (see HybridOps.Lab.psm1).

function Get-AuthConfig {
    [CmdletBinding(PositionalBinding = $false)]
    param(
        [string]$DomainController
    )
    Invoke-LabCmdlet $PSCmdlet $PSBoundParameters
}

<# Reference sets: CurrentCertificateParameter (-CertificateThumbprint, not used here),
   PublishAuthCertificateParameter, NewCertificateParameter, AuthConfigSettings (-Realm, -ServiceName, not
   used here). The reference does not say which set is the default; -Force alone binds NewCertificateParameter. #>
function Set-AuthConfig {
    [CmdletBinding(PositionalBinding = $false, DefaultParameterSetName = 'NewCertificateParameter', SupportsShouldProcess = $true, ConfirmImpact = 'Medium')]
    param(
        [Parameter(ParameterSetName = 'NewCertificateParameter')]
        [string]$NewCertificateThumbprint,

        [Parameter(ParameterSetName = 'NewCertificateParameter')]
        [datetime]$NewCertificateEffectiveDate,

        [Parameter(ParameterSetName = 'PublishAuthCertificateParameter')]
        [switch]$PublishCertificate,

        [Parameter(ParameterSetName = 'PublishAuthCertificateParameter')]
        [switch]$ClearPreviousCertificate,

        [Parameter(ParameterSetName = 'NewCertificateParameter')]
        [Parameter(ParameterSetName = 'PublishAuthCertificateParameter')]
        [switch]$Force,

        [string]$DomainController
    )
    Invoke-LabCmdlet $PSCmdlet $PSBoundParameters
}

<# Reference sets: Identity (-Identity, not used here), Instance (-Instance, not used here), Thumbprint. #>
function Get-ExchangeCertificate {
    [CmdletBinding(PositionalBinding = $false, DefaultParameterSetName = 'Thumbprint')]
    param(
        [Parameter(ParameterSetName = 'Thumbprint', Position = 0)]
        [string]$Thumbprint,

        [Parameter(ParameterSetName = 'Thumbprint')]
        [string]$Server,

        [string]$DomainController
    )
    Invoke-LabCmdlet $PSCmdlet $PSBoundParameters
}

<# Reference sets: Thumbprint, Identity (-Identity, not used here). Without -FileName nothing is written. #>
function Export-ExchangeCertificate {
    [CmdletBinding(PositionalBinding = $false, DefaultParameterSetName = 'Thumbprint', SupportsShouldProcess = $true, ConfirmImpact = 'Low')]
    param(
        [Parameter(Mandatory = $true, ParameterSetName = 'Thumbprint', Position = 0)]
        [string]$Thumbprint,

        [switch]$BinaryEncoded,

        [Parameter(ParameterSetName = 'Thumbprint')]
        [string]$Server,

        [string]$DomainController
    )
    Invoke-LabCmdlet $PSCmdlet $PSBoundParameters
}

<# Reference sets: Request (-GenerateRequest, not used here), Certificate (-Services). #>
function New-ExchangeCertificate {
    [CmdletBinding(PositionalBinding = $false, DefaultParameterSetName = 'Certificate', SupportsShouldProcess = $true, ConfirmImpact = 'Medium')]
    param(
        [int]$KeySize,

        [bool]$PrivateKeyExportable,

        [string]$SubjectName,

        [string]$FriendlyName,

        [string[]]$DomainName,

        [Parameter(ParameterSetName = 'Certificate')]
        [string]$Services,

        [string]$Server,

        [switch]$Force,

        [string]$DomainController
    )
    Invoke-LabCmdlet $PSCmdlet $PSBoundParameters
}
