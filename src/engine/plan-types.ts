/** A plan: per step, what would change and the exact command that would do it. */
import type { EmsCommand } from '../core/ems';
import type { AuthCertificate } from '../core/entra';

export type Change = 'create' | 'update' | 'delete' | 'none';

/** One thing the engine would do to make a step true. */
export type Action =
  | { readonly kind: 'ems'; readonly command: EmsCommand }
  | {
      readonly kind: 'uploadKey';
      readonly appId: string;
      readonly servicePrincipalId: string;
      readonly certificate: AuthCertificate;
      readonly summary: string;
    }
  | {
      readonly kind: 'removeExpiredKeys';
      readonly appId: string;
      readonly servicePrincipalId: string;
      /** The expired keys' thumbprints (or key ids), for the admin. */
      readonly expired: readonly string[];
    }
  | {
      readonly kind: 'setServicePrincipalNames';
      readonly appId: string;
      readonly servicePrincipalId: string;
      readonly names: readonly string[];
      readonly added: string;
    };

/** What diffing one step against the probed state found. */
export interface StepDiff {
  readonly change: Change;
  readonly actions: readonly Action[];
  /** What was found, in one sentence. */
  readonly detail: string;
  /** Things the admin must know: missing prerequisites, outdated seed steps. */
  readonly warnings: readonly string[];
  /** A read-only command worth showing (e.g. the certificate export), when the step changes nothing. */
  readonly readCommand?: EmsCommand;
}

export interface PlanStep {
  readonly id: string;
  readonly title: string;
  readonly seedStep: string;
  readonly target: 'exchange' | 'graph';
  readonly change: Change;
  /** The exact command(s) the step would run, one per line: PowerShell for Exchange, the request for Graph. */
  readonly command: string;
  readonly detail: string;
  readonly warnings: readonly string[];
}

export interface Plan {
  readonly runbook: string;
  readonly title: string;
  readonly source: string;
  readonly caution: string | null;
  readonly notes: readonly string[];
  readonly steps: readonly PlanStep[];
  /** SHA-256 over the steps' ids, changes and commands: an approval binds to it. */
  readonly hash: string;
}
