/** What a probe found about the org: the snapshot steps are diffed against, and its views of Exchange objects. */
import type { ServicePrincipal } from '../core/entra';
import type { DedicatedAppState } from '../graph/dedicated-app';
import type { HybridAppView } from './hybrid-app-snapshot';

export interface MailUserView {
  readonly name: string;
  readonly identity: string;
  readonly hidden: boolean;
  readonly externalEmailAddress: string;
}
export interface PartnerApplicationView {
  readonly name: string;
  readonly applicationIdentifier: string;
  readonly realm: string;
  readonly enabled: boolean;
  readonly linkedAccount: string | null;
}
export interface AuthServerView {
  readonly name: string;
  readonly type: string;
  readonly authMetadataUrl: string;
  readonly realm: string;
  readonly enabled: boolean;
  readonly applicationIdentifier: string;
  readonly domainName: readonly string[];
}
export interface ExchangeServerView {
  readonly name: string;
  readonly role: string;
  /** `Version 15.2 (Build 1748.10)`: the cumulative update only. */
  readonly adminDisplayVersion: string;
}
export interface SettingOverrideView {
  readonly name: string;
  readonly componentName: string;
  readonly sectionName: string;
  readonly parameters: readonly string[];
}

/** The public facts of a certificate as Get-ExchangeCertificate shows them. */
export interface CertificateInfo {
  readonly thumbprint: string;
  readonly subject: string;
  readonly notBefore: string;
  readonly notAfter: string;
}

/** What the probes found; `undefined` means "not probed", `null` means "probed and absent". */
export interface Snapshot {
  readonly mailUsers: Map<string, MailUserView | null>;
  readonly roles: Map<string, { parent: string | null } | null>;
  readonly roleEntries: Map<string, readonly string[] | null>;
  /** The roles assigned directly to each account (lower-case names). */
  readonly roleAssignments: Map<string, readonly string[]>;
  partnerApplications?: readonly PartnerApplicationView[];
  authServers?: readonly AuthServerView[];
  intraOrganizationConnectors?: readonly {
    name: string;
    enabled: boolean;
    targetAddressDomains: readonly string[];
  }[];
  exchangeServers?: readonly ExchangeServerView[];
  settingOverrides?: readonly SettingOverrideView[];
  /** Get-OrganizationConfig's Guid: the dedicated application is named after it. */
  organizationGuid?: string;
  /** The dedicated hybrid application as Entra holds it. */
  dedicatedApp?: DedicatedAppState;
  /** The accepted domains' domain names (lower case). */
  acceptedDomains?: readonly string[];
  /** The current auth certificate (Get-AuthConfig's thumbprint, found among the server's certificates). */
  authCertificate?: CertificateInfo | null;
  authCertificateProblem?: string;
  /** Rotation steps: the auth configuration and the server's certificates. */
  rotation?: RotationView;
  /** Steps on the dedicated Exchange hybrid application: the application as Graph has it. */
  hybridApp?: HybridAppView;
  readonly servicePrincipals: Map<string, ServicePrincipal | null>;
}

export interface ExchangeCertificateView {
  readonly thumbprint: string;
  readonly subject: string;
  readonly friendlyName: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly hasPrivateKey: boolean;
}

/** What the rotation steps are planned against. */
export interface RotationView {
  readonly currentThumbprint: string;
  readonly nextThumbprint: string | null;
  readonly nextEffectiveDate: string | null;
  readonly previousThumbprint: string | null;
  readonly certificates: readonly ExchangeCertificateView[];
  /** The certificate the rotation uploads (the staged one, else the current one); null when the server lacks it. */
  readonly uploadCertificate: CertificateInfo | null;
}
