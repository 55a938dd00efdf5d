/**
 * Specs of the cmdlets the hybrid OAuth and dedicated Exchange hybrid application procedures add: servers, the
 * auth server's application, the intra-organization connector, the setting override and its refresh. Part of
 * the one spec table (CMDLET_SPECS in cmdlets.ts).
 */
import type { CmdletName } from '../core/ems';
import { bool, type CmdletSpec, dc, oneOf, reqStr, reqStrs, str, strs, sw } from './param-spec';

/** The setting override the dedicated Exchange hybrid application needs, and nothing else. */
export const HYBRID_APP_OVERRIDE = {
  component: 'Global',
  section: 'ExchangeOnpremAsThirdPartyAppId',
} as const;

export const HYBRID_CMDLET_SPECS = {
  'Get-ExchangeServer': { mutates: false, positional: 'Identity', params: { Identity: str, ...dc } },
  'Get-OrganizationConfig': { mutates: false, params: { ...dc } },
  'Get-AcceptedDomain': { mutates: false, positional: 'Identity', params: { Identity: str, ...dc } },
  'Set-AuthServer': {
    mutates: true,
    positional: 'Identity',
    params: {
      Identity: reqStr,
      // Only in the April 18, 2025 HU for Exchange 2019 CU15 / 2016 CU23 and later (and SE).
      ApplicationIdentifier: str,
      DomainName: strs,
      Enabled: bool,
      Name: str,
      AuthMetadataUrl: str,
      TrustAnySSLCertificate: sw,
      IsDefaultAuthorizationEndpoint: bool,
      RefreshAuthMetadata: sw,
      Confirm: sw,
      ...dc,
    },
    // The reference's sets; DomainName, Enabled and Name belong to all of them.
    parameterSets: {
      AuthMetadataUrl: ['AuthMetadataUrl', 'TrustAnySSLCertificate'],
      NativeClientAuthServer: ['AuthMetadataUrl', 'IsDefaultAuthorizationEndpoint', 'TrustAnySSLCertificate'],
      RefreshAuthMetadata: ['RefreshAuthMetadata'],
      AppSecret: ['ApplicationIdentifier'],
    },
  },
  'New-IntraOrganizationConnector': {
    mutates: true,
    positional: 'Name',
    params: {
      Name: reqStr,
      DiscoveryEndpoint: reqStr,
      TargetAddressDomains: reqStrs,
      Enabled: bool,
      ...dc,
    },
  },
  'Set-IntraOrganizationConnector': {
    mutates: true,
    positional: 'Identity',
    params: { Identity: reqStr, DiscoveryEndpoint: str, TargetAddressDomains: strs, Enabled: bool, ...dc },
  },
  'New-SettingOverride': {
    mutates: true,
    positional: 'Name',
    // The reference allows any component and section; hybridops may create only the dedicated app's override.
    params: {
      Name: reqStr,
      Component: oneOf(HYBRID_APP_OVERRIDE.component),
      Section: oneOf(HYBRID_APP_OVERRIDE.section),
      Parameters: { kind: 'strings', required: true, values: ['Enabled=true', 'Enabled=false'] },
      Reason: reqStr,
      Server: strs,
      Force: sw,
      ...dc,
    },
  },
  'Get-SettingOverride': { mutates: false, positional: 'Identity', params: { Identity: str, ...dc } },
  'Remove-SettingOverride': {
    mutates: true,
    positional: 'Identity',
    params: { Identity: reqStr, Confirm: sw, ...dc },
  },
  'Get-ExchangeDiagnosticInfo': {
    // Only the Refresh form the dedicated app guidance runs after New-SettingOverride: it makes the server's
    // topology service reload its setting overrides, so it is treated as a change and runs with the approval.
    mutates: true,
    params: {
      Server: str,
      Process: oneOf('Microsoft.Exchange.Directory.TopologyService'),
      Component: oneOf('VariantConfiguration'),
      Argument: oneOf('Refresh'),
    },
  },
} as const satisfies Partial<Record<CmdletName, CmdletSpec>>;
