# Partner applications and auth servers: New/Get/Set/Remove-PartnerApplication, New/Get/Set-AuthServer.
# Part of HybridOps.Lab (see HybridOps.Lab.psm1).

<# Reference sets: ACSTrustApplication (-ApplicationIdentifier, -Realm), AuthMetadataUrl (-AuthMetadataUrl). #>
function New-PartnerApplication {
    [CmdletBinding(PositionalBinding = $false, DefaultParameterSetName = 'ACSTrustApplication', SupportsShouldProcess = $true, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory = $true, Position = 0)]
        [string]$Name,

        [Parameter(Mandatory = $true, ParameterSetName = 'ACSTrustApplication')]
        [string]$ApplicationIdentifier,

        [Parameter(Mandatory = $true, ParameterSetName = 'AuthMetadataUrl')]
        [string]$AuthMetadataUrl,

        [bool]$Enabled,

        [string]$LinkedAccount,

        [Parameter(ParameterSetName = 'ACSTrustApplication')]
        [string]$Realm,

        [string]$DomainController
    )
    Invoke-LabCmdlet $PSCmdlet $PSBoundParameters
}

function Get-PartnerApplication {
    [CmdletBinding(PositionalBinding = $false)]
    param(
        [Parameter(Position = 0)]
        [string]$Identity,

        [string]$DomainController
    )
    Invoke-LabCmdlet $PSCmdlet $PSBoundParameters
}

<# Reference sets: ACSTrustApplication, AuthMetadataUrl, RefreshAuthMetadata; every parameter used here is in all three. #>
function Set-PartnerApplication {
    [CmdletBinding(PositionalBinding = $false, SupportsShouldProcess = $true, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory = $true, Position = 0)]
        [string]$Identity,

        [bool]$Enabled,

        [string]$LinkedAccount,

        [string]$DomainController
    )
    Invoke-LabCmdlet $PSCmdlet $PSBoundParameters
}

function Remove-PartnerApplication {
    [CmdletBinding(PositionalBinding = $false, SupportsShouldProcess = $true, ConfirmImpact = 'High')]
    param(
        [Parameter(Mandatory = $true, Position = 0)]
        [string]$Identity,

        [string]$DomainController
    )
    Invoke-LabCmdlet $PSCmdlet $PSBoundParameters
}

<# Reference sets: AuthMetadataUrl, NativeClientAuthServer (-AuthMetadataUrl and -Type), AppSecret (-Type and
   -ApplicationIdentifier, not used here). -Type is an AuthServerType enum in Exchange; its five names are the
   ValidateSet. -DomainName exists from Exchange 2016 CU18 / 2019 CU7. #>
function New-AuthServer {
    [CmdletBinding(PositionalBinding = $false, DefaultParameterSetName = 'AuthMetadataUrl', SupportsShouldProcess = $true, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory = $true, Position = 0)]
        [string]$Name,

        [Parameter(Mandatory = $true, ParameterSetName = 'AuthMetadataUrl')]
        [Parameter(Mandatory = $true, ParameterSetName = 'NativeClientAuthServer')]
        [string]$AuthMetadataUrl,

        [Parameter(Mandatory = $true, ParameterSetName = 'NativeClientAuthServer')]
        [Parameter(Mandatory = $true, ParameterSetName = 'AppSecret')]
        [ValidateSet('ADFS', 'AzureAD', 'Facebook', 'LinkedIn', 'MicrosoftACS')]
        [string]$Type,

        [Parameter(ParameterSetName = 'AuthMetadataUrl')]
        [Parameter(ParameterSetName = 'NativeClientAuthServer')]
        [switch]$TrustAnySSLCertificate,

        [string[]]$DomainName,

        [bool]$Enabled,

        [string]$DomainController
    )
    Invoke-LabCmdlet $PSCmdlet $PSBoundParameters
}

function Get-AuthServer {
    [CmdletBinding(PositionalBinding = $false)]
    param(
        [Parameter(Position = 0)]
        [string]$Identity,

        [string]$DomainController
    )
    Invoke-LabCmdlet $PSCmdlet $PSBoundParameters
}

<# Reference sets: AuthMetadataUrl, NativeClientAuthServer (-IsDefaultAuthorizationEndpoint), RefreshAuthMetadata,
   AppSecret (-ApplicationIdentifier, from the April 2025 HU); -DomainName, -Enabled and -Name are in all four. The
   reference does not say which set is the default; -Identity with only those binds AuthMetadataUrl, listed first. #>
function Set-AuthServer {
    [CmdletBinding(PositionalBinding = $false, DefaultParameterSetName = 'AuthMetadataUrl', SupportsShouldProcess = $true, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory = $true, Position = 0)]
        [string]$Identity,

        [Parameter(ParameterSetName = 'AppSecret')]
        [string]$ApplicationIdentifier,

        [Parameter(ParameterSetName = 'AuthMetadataUrl')]
        [Parameter(ParameterSetName = 'NativeClientAuthServer')]
        [string]$AuthMetadataUrl,

        [Parameter(ParameterSetName = 'AuthMetadataUrl')]
        [Parameter(ParameterSetName = 'NativeClientAuthServer')]
        [switch]$TrustAnySSLCertificate,

        [Parameter(ParameterSetName = 'NativeClientAuthServer')]
        [bool]$IsDefaultAuthorizationEndpoint,

        [Parameter(ParameterSetName = 'RefreshAuthMetadata')]
        [switch]$RefreshAuthMetadata,

        [string[]]$DomainName,

        [bool]$Enabled,

        [string]$Name,

        [string]$DomainController
    )
    Invoke-LabCmdlet $PSCmdlet $PSBoundParameters
}
