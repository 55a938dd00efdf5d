@{
    RootModule           = 'HybridOps.Lab.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '03256599-4719-4725-88ab-91249865c24e'
    Author               = 'hybridops'
    Description          = 'Lab stand-ins for the Exchange cmdlets hybridops runs: the real parameter names, types, sets and error records, forwarding to the simulated org of a hybridops lab. Not for production.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    FunctionsToExport    = @(
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
    CmdletsToExport      = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
}
