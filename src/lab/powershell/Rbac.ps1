# Management roles: New/Get-ManagementRole, Get/Remove-ManagementRoleEntry, New/Get-ManagementRoleAssignment.
# Part of HybridOps.Lab (see HybridOps.Lab.psm1).

<# Reference sets: NewDerivedRole (-Parent), UnScopedTopLevelRole (-UnScopedTopLevel, never used here). #>
function New-ManagementRole {
    [CmdletBinding(PositionalBinding = $false, DefaultParameterSetName = 'NewDerivedRole', SupportsShouldProcess = $true, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory = $true, Position = 0)]
        [string]$Name,

        [Parameter(Mandatory = $true, ParameterSetName = 'NewDerivedRole')]
        [string]$Parent,

        [string]$DomainController
    )
    Invoke-LabCmdlet $PSCmdlet $PSBoundParameters
}

<# Reference sets: GetChildren, Recurse, Identity, Script; Identity is the one bound by -Identity alone. #>
function Get-ManagementRole {
    [CmdletBinding(PositionalBinding = $false, DefaultParameterSetName = 'Identity')]
    param(
        [Parameter(ParameterSetName = 'Identity', Position = 0)]
        [string]$Identity,

        [string]$DomainController
    )
    Invoke-LabCmdlet $PSCmdlet $PSBoundParameters
}

function Get-ManagementRoleEntry {
    [CmdletBinding(PositionalBinding = $false)]
    param(
        [Parameter(Mandatory = $true, Position = 0)]
        [string]$Identity,

        [string]$DomainController
    )
    Invoke-LabCmdlet $PSCmdlet $PSBoundParameters
}

function Remove-ManagementRoleEntry {
    [CmdletBinding(PositionalBinding = $false, SupportsShouldProcess = $true, ConfirmImpact = 'High')]
    param(
        [Parameter(Mandatory = $true, Position = 0)]
        [string]$Identity,

        [string]$DomainController
    )
    Invoke-LabCmdlet $PSCmdlet $PSBoundParameters
}

<# Reference sets: App, Computer, Policy, SecurityGroup, User; the integration assigns roles to a user. #>
function New-ManagementRoleAssignment {
    [CmdletBinding(PositionalBinding = $false, DefaultParameterSetName = 'User', SupportsShouldProcess = $true, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Position = 0)]
        [string]$Name,

        [Parameter(Mandatory = $true)]
        [string]$Role,

        [Parameter(Mandatory = $true, ParameterSetName = 'User')]
        [string]$User,

        [string]$DomainController
    )
    Invoke-LabCmdlet $PSCmdlet $PSBoundParameters
}

<# Reference sets: Identity, RoleAssignee. #>
function Get-ManagementRoleAssignment {
    [CmdletBinding(PositionalBinding = $false, DefaultParameterSetName = 'Identity')]
    param(
        [Parameter(ParameterSetName = 'Identity', Position = 0)]
        [string]$Identity,

        [Parameter(ParameterSetName = 'RoleAssignee')]
        [string]$Role,

        [Parameter(ParameterSetName = 'RoleAssignee')]
        [string]$RoleAssignee,

        [string]$DomainController
    )
    Invoke-LabCmdlet $PSCmdlet $PSBoundParameters
}
