/** The runbook registry, and validation of a run's inputs. */
import { z } from 'zod/v4';
import { CodedError } from '../core/errors';
import { dedicatedHybridApp } from './dedicated-hybrid-app';
import { hybridOAuth } from './hybrid-oauth';
import { removeLegacySfb } from './remove-legacy-sfb';
import { rotateAuthCert } from './rotate-auth-cert';
import { sfbLegacy } from './sfb-legacy';
import { sfbOnline } from './sfb-online';
import { sfbOnline2019 } from './sfb-online-2019';
import { sharedSpCleanup } from './shared-sp-cleanup';
import { withArticle } from './steps';
import { teams } from './teams';
import { CLOUDS, type Runbook, type RunbookInputs, type RunbookName } from './types';

/** A runbook whose every step names the Microsoft article it follows (the runbook's, unless its own). */
function withStepArticles(runbook: Runbook): Runbook {
  return { ...runbook, steps: (inputs) => withArticle(runbook.article, runbook.steps(inputs)) };
}

export const RUNBOOKS: readonly Runbook[] = [
  teams,
  sfbOnline,
  sfbOnline2019,
  sfbLegacy,
  removeLegacySfb,
  rotateAuthCert,
  hybridOAuth,
  dedicatedHybridApp,
  sharedSpCleanup,
].map(withStepArticles);

/** Finds a runbook by name, or throws UNKNOWN_RUNBOOK listing the valid names. */
export function getRunbook(name: string): Runbook {
  const runbook = RUNBOOKS.find((candidate) => candidate.name === name);
  if (!runbook) {
    throw new CodedError(
      'UNKNOWN_RUNBOOK',
      `Unknown runbook "${name}". Choose one of: ${RUNBOOKS.map((r) => r.name).join(', ')}.`,
    );
  }
  return runbook;
}

const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const FQDN = new RegExp(`^(?=.{4,253}$)${LABEL}(?:\\.${LABEL})+$`);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const inputSchema = z.object({
  domain: z
    .string()
    .trim()
    .toLowerCase()
    .regex(FQDN, 'the verified domain must be a domain name such as contoso.com')
    .optional(),
  dc: z
    .string()
    .trim()
    .toLowerCase()
    .regex(FQDN, 'the domain controller must be a fully qualified name such as dc01.contoso.com')
    .optional(),
  tenantId: z.string().trim().toLowerCase().regex(GUID, 'the tenant id must be a GUID').optional(),
  applicationAccount: z.boolean().default(true),
  acknowledged: z.boolean().default(false),
  cloud: z.enum(CLOUDS).optional(),
});

export interface RawInputs {
  domain?: string;
  dc?: string;
  tenantId?: string;
  applicationAccount?: boolean;
  acknowledged?: boolean;
  cloud?: string;
}

/**
 * Validates input values by the rules every runbook shares (a domain, a DC's FQDN, a tenant GUID), whoever
 * takes them: a run, or `lab init` naming a new org. Throws BAD_INPUT with one clear sentence.
 */
export function validateInputValues(raw: RawInputs): z.infer<typeof inputSchema> {
  const parsed = inputSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CodedError('BAD_INPUT', `Invalid ${String(issue?.path[0])}: ${issue?.message}.`);
  }
  return parsed.data;
}

/** Validates a run's inputs for one runbook; throws BAD_INPUT with one clear sentence. */
export function validateInputs(runbook: Runbook, raw: RawInputs): RunbookInputs {
  const values = validateInputValues(raw);
  for (const required of runbook.requires) {
    if (!values[required]) {
      const flag = {
        domain: 'the verified domain (domain=…)',
        dc: 'the domain controller FQDN (dc=…)',
        tenantId: 'the tenant id (tenant=…)',
      }[required];
      throw new CodedError('BAD_INPUT', `Runbook ${runbook.name} needs ${flag}.`);
    }
  }
  return {
    domain: values.domain ?? '',
    dc: values.dc ?? '',
    ...(values.tenantId ? { tenantId: values.tenantId } : {}),
    applicationAccount: values.applicationAccount,
    acknowledged: values.acknowledged,
    ...(values.cloud ? { cloud: values.cloud } : {}),
  };
}

export type { Runbook, RunbookInputs, RunbookName };
