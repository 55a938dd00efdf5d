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
  /** The Microsoft article the step follows: a link on the plan card, a comment in the exported script. */
  readonly article?: { readonly title: string; readonly url: string };
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
  readonly servicePrincipalName: string;
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
  /** Hours between staging and the effective date, so every server picks the certificate up (48 in Microsoft's guidance). */
  readonly leadHours: number;
}
/** Rotation: the staged (else current) certificate's key on a service principal the integration uses. */
export interface UploadRotatedAuthCertificateStep extends StepBase {
  readonly kind: 'uploadRotatedAuthCertificate';
  readonly appId: string;
  readonly appName: string;
  readonly renewWithinDays: number;
}
/** Rotation: Set-AuthConfig -PublishCertificate once the staged certificate's effective date has come. */
export interface PublishAuthCertificateStep extends StepBase {
  readonly kind: 'publishAuthCertificate';
}
/** Rotation: Set-AuthConfig -ClearPreviousCertificate once the previous certificate has expired. */
export interface ClearPreviousAuthCertificateStep extends StepBase {
  readonly kind: 'clearPreviousAuthCertificate';
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
  | ExportAuthCertificateStep
  | UploadAuthCertificateStep
  | ServicePrincipalNameStep
  | NewAuthCertificateStep
  | StageAuthCertificateStep
  | UploadRotatedAuthCertificateStep
  | PublishAuthCertificateStep
  | ClearPreviousAuthCertificateStep;

export type RunbookName =
  | 'teams'
  | 'sfb-online'
  | 'sfb-online-2019'
  | 'sfb-legacy'
  | 'remove-legacy-sfb'
  | 'rotate-auth-cert';

export interface Runbook {
  readonly name: RunbookName;
  readonly title: string;
  /** The seed document this runbook follows. */
  readonly source: string;
  readonly exchangeVersions: string;
  /** Which inputs the runbook needs. */
  readonly requires: readonly ('domain' | 'dc')[];
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
