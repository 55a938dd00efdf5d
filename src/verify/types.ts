/** What verification reports: checks an admin can act on, and the dates the watch alerts on. */
import type { RunbookName } from '../runbooks/types';
import type { ServerCertificate } from './parity-probe';

/** How the watch treats a failing check: at once when it starts failing, or at the expiry thresholds. */
export type AlertBy = 'drift' | 'expiry';

/** One verdict: what was checked, what was found, and what fixes it. */
export interface Check {
  /** Stable id, e.g. `auth-certificate` or a runbook step id. */
  readonly id: string;
  readonly title: string;
  readonly ok: boolean;
  /** What was found, in one or two sentences an admin can act on. */
  readonly detail: string;
  /** The exact command(s) that fix a failure, one per line; empty when nothing can be run. */
  readonly fix: string;
  /** The runbook whose plan fixes a failure ("plan the fix"), when one does. */
  readonly fixRunbook: RunbookName | null;
  readonly alertBy: AlertBy;
}

/** A date the watch counts down to. */
export interface ExpiryItem {
  /** Stable id: changes when the thing changes (a new thumbprint is a new item). */
  readonly id: string;
  readonly kind: 'authCertificate' | 'nextCertificate' | 'nextCertificateEffective' | 'servicePrincipalKey';
  readonly title: string;
  /** ISO-8601 instant the countdown ends. */
  readonly at: string;
  readonly thumbprint: string;
  /** Where the thing lives: `Exchange` and the service principals holding the key. */
  readonly where: readonly string[];
  readonly fixRunbook: RunbookName;
  /** `due`: only the date itself matters (nothing to do before it); `thresholds`: count down at every threshold. */
  readonly announce: 'thresholds' | 'due';
}

/** Facts about the auth certificates, for the `cert` command. */
export interface AuthCertificateFacts {
  readonly current: CertificateFacts | null;
  readonly next: (CertificateFacts & { readonly effectiveDate: string | null }) | null;
  readonly previousThumbprint: string | null;
  /** Why the current certificate could not be read, when it could not. */
  readonly problem: string | null;
}

export interface CertificateFacts {
  readonly thumbprint: string;
  readonly subject: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly hasPrivateKey: boolean;
}

/** The key of one service principal that matters for the integration. */
export interface ServicePrincipalKeyFacts {
  readonly appId: string;
  readonly appName: string;
  /** null when the tenant has no such service principal. */
  readonly present: boolean;
  readonly keys: readonly {
    readonly thumbprint: string;
    readonly startDateTime: string;
    readonly endDateTime: string;
    readonly expired: boolean;
  }[];
}

/** The dedicated Exchange hybrid application as verification found it. */
export interface HybridAppFacts {
  readonly displayName: string;
  readonly appId: string;
  readonly keys: ServicePrincipalKeyFacts['keys'];
  /** full_access_as_app requested and granted (admin consent). */
  readonly permissionGranted: boolean;
}

/** Everything one verification found. */
export interface VerifyReport {
  readonly runbook: RunbookName;
  readonly checkedAt: string;
  readonly checks: readonly Check[];
  readonly expiries: readonly ExpiryItem[];
  readonly certificates: AuthCertificateFacts;
  readonly servicePrincipals: readonly ServicePrincipalKeyFacts[];
  /** Whether each Mailbox/Client Access server holds the current and next auth certificates. */
  readonly serverCertificates: readonly ServerCertificate[];
  /** null when the org has no dedicated hybrid application. */
  readonly hybridApp: HybridAppFacts | null;
}

/** Options of a verification beyond the runbook's inputs. */
export interface VerifyOptions {
  /** A mailbox with an Out of Office reply, for Test-OAuthConnectivity and the voicemail greeting check. */
  readonly testMailbox?: string;
  /** Days before expiry from which the certificate check fails (default 60, the first alert threshold). */
  readonly expiryWarningDays?: number;
}
