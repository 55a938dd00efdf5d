/** A plan: per step, what would change and the exact command that would do it. */
import type { EmsCommand } from '../core/ems';
import type { AuthCertificate } from '../core/entra';
import type { Change } from '../core/plan';

// The plan itself lives below the store, which saves it and reads it back with its schema.
export type { Change, Plan, PlanStep } from '../core/plan';

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
