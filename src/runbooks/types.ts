/** Runbooks are data: the desired state of one seed procedure, step by step, which the engine interprets. */

/** Validated inputs of a run. */
export interface RunbookInputs {
  /** The verified (primary SMTP) domain, e.g. contoso.com. */
  readonly domain: string;
  /** FQDN of the domain controller every Exchange command names. */
  readonly dc: string;
  /** Tenant id, when the admin gives it (checked against the auth servers' realm). */
  readonly tenantId?: string;
  /** False on Exchange builds that reject New-MailUser -ApplicationAccount. */
  readonly applicationAccount: boolean;
  /** The admin's explicit acknowledgement of a runbook's caution. */
  readonly acknowledged: boolean;
  /** The Microsoft cloud the tenant lives in (decides the auth servers' metadata hosts); Global when not given. */
  readonly cloud?: Cloud;
}

/** The clouds whose metadata hosts the hybrid OAuth article names. */
export const CLOUDS = ['Global', 'USGovernmentL4', 'USGovernmentL5'] as const;
export type Cloud = (typeof CLOUDS)[number];

/** A Microsoft article a step follows, linked on the plan. */
export interface Article {
  readonly title: string;
  readonly url: string;
}

interface StepBase {
  /** Stable id, unique within the runbook, e.g. `mail-user`. */
  readonly id: string;
  /** What the step does, in the admin's words. */
  readonly title: string;
  /** Where it stands in the seed, e.g. `Step 2`. */
  readonly seedStep: string;
  /** Shown on the plan: where the seed's step is outdated or needs care. */
  readonly warnings?: readonly string[];
  /** The Microsoft article this step follows. */
  readonly article?: Article;
}

/** Step 1 of the seeds: OAuth between Exchange Server and Exchange Online must already be in place. */
export interface HybridOAuthPrerequisiteStep extends StepBase {
  readonly kind: 'hybridOAuthPrerequisite';
}
export interface MailUserStep extends StepBase {
  readonly kind: 'mailUser';
  readonly name: string;
  readonly externalEmailAddress: string;
  readonly applicationAccount: boolean;
}
export interface MailUserHiddenStep extends StepBase {
  readonly kind: 'mailUserHidden';
  readonly name: string;
}
export interface ManagementRoleStep extends StepBase {
  readonly kind: 'managementRole';
  readonly name: string;
  readonly parent: string;
}
export interface RoleEntriesOnlyStep extends StepBase {
  readonly kind: 'roleEntriesOnly';
  readonly role: string;
  /** The role's parent: a role this run creates starts with all of the parent's entries. */
  readonly parent: string;
  readonly keep: readonly string[];
}
export interface RoleAssignmentStep extends StepBase {
  readonly kind: 'roleAssignment';
  readonly role: string;
  readonly user: string;
}
export interface PartnerApplicationStep extends StepBase {
  readonly kind: 'partnerApplication';
  readonly name: string;
  readonly applicationIdentifier: string;
  /** Name of the mail user to link, or null for an application without a linked account. */
  readonly linkedAccount: string | null;
}
/** Enables an existing partner application found by application id and realm (seed 003, step 2). */
export interface EnablePartnerApplicationStep extends StepBase {
  readonly kind: 'enablePartnerApplication';
  readonly applicationIdentifier: string;
  readonly realm: string;
}
export interface RemovePartnerApplicationStep extends StepBase {
  readonly kind: 'removePartnerApplication';
  readonly applicationIdentifier: string;
}
export interface AuthServerStep extends StepBase {
  readonly kind: 'authServer';
  readonly name: string;
  readonly authMetadataUrl: string;
}
/**
 * Hybrid OAuth: the tenant's auth server of a type (AzureAD = evoSTS, MicrosoftACS = ACS), found by type and realm
 * (never by name), created with the name the Hybrid Configuration Wizard gives it when absent, enabled when off.
 */
export interface TenantAuthServerStep extends StepBase {
  readonly kind: 'tenantAuthServer';
  readonly serverType: 'AzureAD' | 'MicrosoftACS';
  readonly name: string;
  readonly authMetadataUrl: string;
}
/** Hybrid OAuth: the on-premises intra-organization connector to Exchange Online, for the coexistence domain. */
export interface IntraOrganizationConnectorStep extends StepBase {
  readonly kind: 'intraOrganizationConnector';
  readonly name: string;
  readonly discoveryEndpoint: string;
}
/** Dedicated hybrid app: every Exchange server's build against the article's minimum builds (nothing to change). */
export interface ExchangeBuildsStep extends StepBase {
  readonly kind: 'exchangeBuilds';
}
/** Dedicated hybrid app, in Entra: the application, its service principal, its permission, the consent, its keys. */
export interface HybridApplicationStep extends StepBase {
  readonly kind: 'hybridApplication';
  readonly part: 'application' | 'servicePrincipal' | 'permission' | 'consent' | 'keys';
}
/** Dedicated hybrid app: Set-AuthServer -ApplicationIdentifier -DomainName on the tenant's evoSTS auth server. */
export interface HybridAppAuthServerStep extends StepBase {
  readonly kind: 'hybridAppAuthServer';
}
/** Dedicated hybrid app: the setting override that turns the feature on, and the refresh that makes it take effect. */
export interface HybridAppOverrideStep extends StepBase {
  readonly kind: 'hybridAppOverride';
  readonly name: string;
  readonly reason: string;
}
/** Shared-principal clean-up: the Exchange certificates' keys off the shared Exchange Online service principal. */
export interface SharedPrincipalCleanupStep extends StepBase {
  readonly kind: 'sharedPrincipalCleanup';
  readonly appId: string;
}
/** A step hybridops cannot run (e.g. Exchange Online PowerShell): shown on the plan with its exact command. */
export interface ManualStep extends StepBase {
  readonly kind: 'manual';
  /** Where the command runs, e.g. `Exchange Online PowerShell`. */
  readonly shell: string;
  readonly command: string;
}
export interface ExportAuthCertificateStep extends StepBase {
  readonly kind: 'exportAuthCertificate';
}
export interface UploadAuthCertificateStep extends StepBase {
  readonly kind: 'uploadAuthCertificate';
  readonly appId: string;
  readonly appName: string;
}
export interface ServicePrincipalNameStep extends StepBase {
  readonly kind: 'servicePrincipalName';
  readonly appId: string;
  /** Names that must be among the service principal's; the others it has are kept. */
  readonly servicePrincipalNames: readonly string[];
}

/** Rotation: a new auth certificate, made when the current one is due for renewal and none is staged or waiting. */
export interface NewAuthCertificateStep extends StepBase {
  readonly kind: 'newAuthCertificate';
  readonly subjectName: string;
  readonly friendlyName: string;
  /** The current certificate is renewed from this many days before it expires. */
  readonly renewWithinDays: number;
}
/** Rotation: the new certificate staged with Set-AuthConfig -NewCertificateThumbprint/-NewCertificateEffectiveDate. */
export interface StageAuthCertificateStep extends StepBase {
  readonly kind: 'stageAuthCertificate';
  readonly renewWithinDays: number;
  /** Days between staging and the effective date (30, as MonitorExchangeAuthCertificate.ps1; fewer when the current one expires sooner). */
  readonly leadDays: number;
}
/** Rotation: the staged (else current) certificate's key on a service principal the integration uses. */
export interface UploadRotatedAuthCertificateStep extends StepBase {
  readonly kind: 'uploadRotatedAuthCertificate';
  readonly appId: string;
  readonly appName: string;
  readonly renewWithinDays: number;
}
/** Rotation: the staged (else current) certificate's key on the dedicated Exchange hybrid application, when the org has one. */
export interface UploadRotatedHybridAppCertificateStep extends StepBase {
  readonly kind: 'uploadRotatedHybridAppCertificate';
  readonly renewWithinDays: number;
}
/** Rotation: Set-AuthConfig -PublishCertificate on the already-expired path (else the AuthAdmin servicelet publishes). */
export interface PublishAuthCertificateStep extends StepBase {
  readonly kind: 'publishAuthCertificate';
  readonly renewWithinDays: number;
}
/** Rotation: Set-AuthConfig -ClearPreviousCertificate on the already-expired path, or once the previous certificate has expired. */
export interface ClearPreviousAuthCertificateStep extends StepBase {
  readonly kind: 'clearPreviousAuthCertificate';
  readonly renewWithinDays: number;
}

export type RunbookStep =
  | HybridOAuthPrerequisiteStep
  | MailUserStep
  | MailUserHiddenStep
  | ManagementRoleStep
  | RoleEntriesOnlyStep
  | RoleAssignmentStep
  | PartnerApplicationStep
  | EnablePartnerApplicationStep
  | RemovePartnerApplicationStep
  | AuthServerStep
  | TenantAuthServerStep
  | IntraOrganizationConnectorStep
  | ManualStep
  | ExchangeBuildsStep
  | HybridApplicationStep
  | HybridAppAuthServerStep
  | HybridAppOverrideStep
  | SharedPrincipalCleanupStep
  | ExportAuthCertificateStep
  | UploadAuthCertificateStep
  | ServicePrincipalNameStep
  | NewAuthCertificateStep
  | StageAuthCertificateStep
  | UploadRotatedAuthCertificateStep
  | UploadRotatedHybridAppCertificateStep
  | PublishAuthCertificateStep
  | ClearPreviousAuthCertificateStep;

export type RunbookName =
  | 'teams'
  | 'sfb-online'
  | 'sfb-online-2019'
  | 'sfb-legacy'
  | 'remove-legacy-sfb'
  | 'rotate-auth-cert'
  | 'hybrid-oauth'
  | 'dedicated-hybrid-app'
  | 'shared-sp-cleanup';

export interface Runbook {
  readonly name: RunbookName;
  readonly title: string;
  /** The seed document this runbook follows. */
  readonly source: string;
  readonly exchangeVersions: string;
  /** Which inputs the runbook needs. */
  readonly requires: readonly ('domain' | 'dc' | 'tenantId')[];
  /** The Microsoft article its steps follow, unless a step names its own. */
  readonly article: Article;
  /** A caution the admin must acknowledge before anything runs. */
  readonly caution?: string;
  /** Notes shown on every plan of this runbook. */
  readonly notes?: readonly string[];
  readonly steps: (inputs: RunbookInputs) => readonly RunbookStep[];
}

/** An org hybridops manages: the runbook its integration follows and the inputs that describe it. */
export interface ManagedOrg {
  readonly id: string;
  /** Shown on cards, e.g. contoso.com. */
  readonly name: string;
  readonly runbook: RunbookName;
  readonly inputs: RunbookInputs;
  /** A mailbox with an Out of Office reply, for the checks that need one. */
  readonly testMailbox?: string;
}
