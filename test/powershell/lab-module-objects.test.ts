/**
 * HybridOps.Lab as an admin's shell sees it: typed objects with Exchange's type names, error records with
 * the org's message, category and FullyQualifiedErrorId, terminating or not as Exchange writes them, and
 * PowerShell's own parameter binding.
 */

import { DC } from '../support/lab-org';
import { describeWithShell, runScript } from '../support/pwsh';
import { importModule, type ModuleLab, startModuleLab } from './support';

/** Runs `body` after importing the module; every `Out '<name>' <value>` line lands in the returned report. */
async function inShell(lab: ModuleLab, body: string): Promise<Record<string, unknown>> {
  const script = `${importModule}
$ErrorActionPreference = 'Stop'
$report = [ordered]@{}
function Out([string]$Name, $Value) { $report[$Name] = $Value }
${body}
ConvertTo-Json -InputObject $report -Depth 6 -Compress`;
  const run = await runScript(script, lab.env);
  if (run.code !== 0) throw new Error(`pwsh failed (${run.code}): ${run.stderr}`);
  // The report is the last line; the host may have written before it ("What if: ...").
  const lines = run.stdout.trim().split(/\r?\n/);
  return JSON.parse(lines[lines.length - 1] ?? '') as Record<string, unknown>;
}

describeWithShell('the HybridOps.Lab module in a real shell', () => {
  jest.setTimeout(120_000);
  let lab: ModuleLab;
  beforeEach(async () => {
    lab = await startModuleLab();
  });
  afterEach(() => lab.close());

  it('returns the auth configuration and certificates as typed objects with Exchange’s type names', async () => {
    const cert = lab.state.org.certificates[0];
    const report = await inShell(
      lab,
      `$config = Get-AuthConfig
Out configType $config.PSObject.TypeNames[0]
Out thumbprint $config.CurrentCertificateThumbprint
Out nextIsNull ($null -eq $config.NextCertificateEffectiveDate)
$cert = Get-ExchangeCertificate -Thumbprint $config.CurrentCertificateThumbprint
Out certType $cert.PSObject.TypeNames[0]
Out notAfterType $cert.NotAfter.GetType().FullName
Out notAfter $cert.NotAfter.ToUniversalTime().ToString('o')
Out hasKeyType $cert.HasPrivateKey.GetType().FullName
$connector = Get-IntraOrganizationConnector
Out domainsType $connector.TargetAddressDomains.GetType().FullName
Out domainsCount $connector.TargetAddressDomains.Count
$bytes = (Export-ExchangeCertificate $config.CurrentCertificateThumbprint -BinaryEncoded).FileData
Out fileDataType $bytes.GetType().FullName
Out fileData ([System.Convert]::ToBase64String($bytes))
Out pem ((Export-ExchangeCertificate $config.CurrentCertificateThumbprint).FileData.GetType().FullName)`,
    );
    expect(report).toEqual({
      configType: 'Microsoft.Exchange.Data.Directory.SystemConfiguration.AuthConfig',
      thumbprint: cert?.thumbprint,
      nextIsNull: true,
      certType: 'Microsoft.Exchange.Management.SystemConfigurationTasks.ExchangeCertificate',
      notAfterType: 'System.DateTime',
      notAfter: new Date(cert?.notAfter ?? '').toISOString().replace('.000Z', '.0000000Z'),
      hasKeyType: 'System.Boolean',
      domainsType: 'System.String[]',
      domainsCount: 1,
      fileDataType: 'System.Byte[]',
      fileData: cert?.derBase64,
      pem: 'System.String',
    });
  });

  it('stages a certificate with a [datetime] that comes back as one', async () => {
    const report = await inShell(
      lab,
      `$new = New-ExchangeCertificate -KeySize 2048 -PrivateKeyExportable $true -SubjectName 'CN=Microsoft Exchange Server Auth Certificate' -DomainName @() -Services SMTP
Set-AuthConfig -NewCertificateThumbprint $new.Thumbprint -NewCertificateEffectiveDate ([datetime]'2026-12-21T12:00:00Z') -DomainController '${DC}'
$config = Get-AuthConfig
Out next ($config.NextCertificateThumbprint -eq $new.Thumbprint)
Out effectiveType $config.NextCertificateEffectiveDate.GetType().FullName
Out effective $config.NextCertificateEffectiveDate.ToUniversalTime().ToString('s')`,
    );
    expect(report).toEqual({
      next: true,
      effectiveType: 'System.DateTime',
      effective: '2026-12-21T12:00:00',
    });
    expect(lab.state.org.commandLog.find((entry) => entry.cmdlet === 'Set-AuthConfig')?.params).toEqual({
      NewCertificateThumbprint: lab.state.org.authConfig.nextCertificateThumbprint,
      NewCertificateEffectiveDate: '2026-12-21T12:00:00Z',
      DomainController: DC,
    });
  });

  it('returns servers, the organization, domains, connectors and setting overrides as Exchange types them', async () => {
    const report = await inShell(
      lab,
      `$server = Get-ExchangeServer 'EX01'
Out serverType $server.PSObject.TypeNames[0]
Out mailbox $server.IsMailboxServer
$organization = Get-OrganizationConfig
Out organizationType $organization.PSObject.TypeNames[0]
Out guid ($organization.Guid -eq '${lab.state.org.organizationGuid}')
Out domainType @(Get-AcceptedDomain)[0].PSObject.TypeNames[0]
$connector = New-IntraOrganizationConnector 'ExchangeHybridOnPremisesToOnline' -DiscoveryEndpoint 'https://outlook.office365.com/autodiscover/autodiscover.svc' -TargetAddressDomains 'contoso.mail.onmicrosoft.com'
Out connectorType $connector.PSObject.TypeNames[0]
$override = New-SettingOverride 'EnableExchangeHybrid3PAppFeature' -Component 'global' -Section 'ExchangeOnpremAsThirdPartyAppId' -Parameters 'Enabled=true' -Reason 'Created by hybridops'
Out overrideType $override.PSObject.TypeNames[0]
Out changedType $override.WhenChanged.GetType().FullName
Out parametersType $override.Parameters.GetType().FullName
Out serverIsNull ($null -eq $override.Server)
$result = Get-ExchangeDiagnosticInfo -Server 'EX01' -Process 'Microsoft.Exchange.Directory.TopologyService' -Component 'VariantConfiguration' -Argument 'Refresh'
Out resultType $result.PSObject.TypeNames[0]
[xml]$edi = $result
Out diagnosedServer $edi.Diagnostics.ProcessInfo.serverName`,
    );
    expect(report).toEqual({
      serverType: 'Microsoft.Exchange.Data.Directory.Management.ExchangeServer',
      mailbox: true,
      organizationType: 'Microsoft.Exchange.Data.Directory.Management.OrganizationConfig',
      guid: true,
      domainType: 'Microsoft.Exchange.Data.Directory.SystemConfiguration.AcceptedDomain',
      connectorType: 'Microsoft.Exchange.Data.Directory.SystemConfiguration.IntraOrganizationConnector',
      overrideType:
        'Microsoft.Exchange.Data.Directory.SystemConfiguration.ConfigurationSettings.SettingOverride',
      changedType: 'System.DateTime',
      parametersType: 'System.String[]',
      serverIsNull: true,
      resultType: 'Microsoft.Exchange.Management.Powershell.Support.ExchangeDiagnosticInfoResult',
      diagnosedServer: 'EX01',
    });
  });

  it('binds Set-AuthServer’s parameter sets and the restricted values as Exchange and the spec table do', async () => {
    const acs = lab.state.org.authServers.find((server) => server.type === 'MicrosoftACS')?.name ?? '';
    const before = lab.state.org.commandLog.length;
    const report = await inShell(
      lab,
      `Set-AuthServer '${acs}' -Enabled $false
try { Set-AuthServer '${acs}' -ApplicationIdentifier 'a' -RefreshAuthMetadata } catch { Out sets $_.FullyQualifiedErrorId }
try { New-AuthServer 'Google' -AuthMetadataUrl 'https://x/' -Type 'Google' } catch { Out type $_.FullyQualifiedErrorId }
try { Test-OAuthConnectivity -Service 'Autodiscover' -TargetUri 'https://x/' } catch { Out service $_.FullyQualifiedErrorId }
try { New-SettingOverride 'IM' -Component 'OwaServer' -Section 'IMSettings' -Parameters 'IMServerName=a' -Reason 'IM' } catch { Out component $_.FullyQualifiedErrorId }
try { Get-ExchangeDiagnosticInfo -Server 'EX01' } catch { Out diagnostic $_.FullyQualifiedErrorId }`,
    );
    expect(report).toEqual({
      sets: 'AmbiguousParameterSet,Set-AuthServer',
      type: 'ParameterArgumentValidationError,New-AuthServer',
      service: 'ParameterArgumentValidationError,Test-OAuthConnectivity',
      component: 'ParameterArgumentValidationError,New-SettingOverride',
      diagnostic: 'MissingMandatoryParameter,Get-ExchangeDiagnosticInfo',
    });
    // Only the reference's example form reached the org; it bound with -Identity and -Enabled alone.
    expect(lab.state.org.commandLog.slice(before).map(({ cmdlet, params }) => ({ cmdlet, params }))).toEqual([
      { cmdlet: 'Set-AuthServer', params: { Identity: acs, Enabled: false } },
    ]);
    expect(lab.state.org.authServers.find((server) => server.name === acs)?.enabled).toBe(false);
  });

  it('writes "not found" from a Get cmdlet as a non-terminating error record with Exchange’s id', async () => {
    const report = await inShell(
      lab,
      `$out = Get-MailUser 'nobody' -ErrorAction SilentlyContinue
Out output @($out).Count
$record = $Error[0]
Out message $record.Exception.Message
Out id $record.FullyQualifiedErrorId
Out category ([string]$record.CategoryInfo.Category)
Out info $record.CategoryInfo.ToString()`,
    );
    expect(report).toEqual({
      output: 0,
      message: `The operation couldn't be performed because object 'nobody' couldn't be found on '${DC}'.`,
      id: 'ManagementObjectNotFoundException,Microsoft.Exchange.Management.RecipientTasks.GetMailUser',
      category: 'NotSpecified',
      info: 'NotSpecified: (:) [Get-MailUser], ManagementObjectNotFoundException',
    });
  });

  it('stops a failing change with a terminating error that -ErrorAction cannot hide', async () => {
    const report = await inShell(
      lab,
      `New-MailUser -Name 'TeamsScheduler' -ExternalEmailAddress 'ts@contoso.com' | Out-Null
try { New-MailUser -Name 'TeamsScheduler' -ExternalEmailAddress 'ts@contoso.com' -ErrorAction SilentlyContinue; Out went 'on' }
catch { Out id $_.FullyQualifiedErrorId; Out message $_.Exception.Message }`,
    );
    expect(report).toEqual({
      id: 'ADObjectAlreadyExistsException,Microsoft.Exchange.Management.RecipientTasks.NewMailUser',
      message: 'The name "TeamsScheduler" is already being used. Please try another name.',
    });
  });

  it('binds as Exchange does: positional identity, exclusive parameter sets, mandatory parameters, -WhatIf', async () => {
    const before = lab.state.org.commandLog.length;
    const report = await inShell(
      lab,
      `Out positional (Get-ManagementRole 'UserApplication').Name
try { New-PartnerApplication -Name 'X' -ApplicationIdentifier 'a' -AuthMetadataUrl 'https://x/' } catch { Out both $_.FullyQualifiedErrorId }
try { Get-ManagementRoleEntry } catch { Out missing $_.FullyQualifiedErrorId }
try { Get-AuthConfig 'dc01' } catch { Out extra $_.FullyQualifiedErrorId }
New-MailUser -Name 'WhatIfUser' -ExternalEmailAddress 'w@contoso.com' -WhatIf
try { Remove-PartnerApplication 'Exchange Online' } catch { Out prompt $_.Exception.Message }`,
    );
    expect(report).toEqual({
      positional: 'UserApplication',
      both: 'AmbiguousParameterSet,New-PartnerApplication',
      missing: 'MissingMandatoryParameter,Get-ManagementRoleEntry',
      extra: 'PositionalParameterNotFound,Get-AuthConfig',
      prompt: 'PowerShell is in NonInteractive mode. Read and Prompt functionality is not available.',
    });
    // Only the positional Get reached the org: binding errors, -WhatIf and an unanswered prompt send nothing.
    expect(lab.state.org.commandLog.slice(before).map((entry) => entry.cmdlet)).toEqual([
      'Get-ManagementRole',
    ]);
  });

  it('reaches the org only with the session’s secret, and only on its one route', async () => {
    // The lab runs the bot in the same process: restify's ServerResponse patch must not break the endpoint.
    await import('restify');
    const post = (headers: Record<string, string>, route = 'cmdlet') =>
      fetch(`${lab.endpoint.url}${route}`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ cmdlet: 'Get-AuthConfig', params: [] }),
      });
    expect((await post({})).status).toBe(401);
    expect((await post({ authorization: `Bearer ${'0'.repeat(64)}` })).status).toBe(401);
    expect((await post({ authorization: `Bearer ${lab.endpoint.secret}` }, 'other')).status).toBe(404);
    expect((await post({ authorization: `Bearer ${lab.endpoint.secret}` })).status).toBe(200);
    const malformed = await fetch(`${lab.endpoint.url}cmdlet`, {
      method: 'POST',
      headers: { authorization: `Bearer ${lab.endpoint.secret}` },
      body: JSON.stringify({ cmdlet: 'Remove-Mailbox', params: [] }),
    });
    expect(malformed.status).toBe(400);
    expect(new URL(lab.endpoint.url).hostname).toBe('127.0.0.1');
    const report = await inShell(
      { ...lab, env: { ...lab.env, HYBRIDOPS_LAB_SECRET: 'wrong' } },
      `try { Get-AuthConfig } catch { Out refused $_.Exception.Message }`,
    );
    expect(report.refused).toMatch(/answered 401/);
  });
});
