/**
 * Probing: the read-only commands a set of steps needs, sent as one relay job while one Graph `$batch` is in
 * flight, and what they say about the org. Nothing is exported here: a plan names the certificate it uploads by
 * thumbprint, and the run exports it once.
 */
import type { EmsCommand, EmsResult } from '../core/ems';
import type { ServicePrincipal } from '../core/entra';
import { CodedError } from '../core/errors';
import type { PlanReads } from '../core/plan';
import type { EmsRunner, GraphPort } from '../core/ports';
import { isNotFound } from '../exchange/not-found';
import { renderCommand } from '../exchange/render';
import { readDedicatedApp, readFullAccessRole } from '../graph/dedicated-app';
import type { RunbookInputs, RunbookStep } from '../runbooks/types';
import { hybridAppViewOf, readHybridApplication } from './hybrid-app-snapshot';
import { isRotationStep, readRotation } from './rotation-snapshot';
import { planReads } from './snapshot-reads';
import { absorb, type Row } from './snapshot-rows';
import type { CertificateInfo, Snapshot } from './snapshot-types';

export type {
  AuthServerView,
  CertificateInfo,
  MailUserView,
  PartnerApplicationView,
  Snapshot,
} from './snapshot-types';

const str = (value: unknown): string => (typeof value === 'string' ? value : '');

function rowsOrAbsent(command: EmsCommand, result: EmsResult): readonly Row[] | null {
  if (result.ok) return result.output;
  if (isNotFound(result.error)) return null;
  throw new CodedError(
    'PROBE_FAILED',
    `Could not read the org: ${renderCommand(command)} failed: ${result.error.message}`,
  );
}

function needsCertificate(step: RunbookStep): boolean {
  return (
    step.kind === 'exportAuthCertificate' || step.kind === 'uploadAuthCertificate' || isHybridAppKeys(step)
  );
}

const isHybridAppKeys = (step: RunbookStep) =>
  (step.kind === 'hybridApplication' && step.part === 'keys') || step.kind === 'sharedPrincipalCleanup';

/** Whether the step is planned against the dedicated hybrid application in Entra. */
function needsDedicatedApp(step: RunbookStep): boolean {
  return (
    step.kind === 'hybridApplication' ||
    step.kind === 'hybridAppAuthServer' ||
    step.kind === 'sharedPrincipalCleanup'
  );
}

/** The auth certificate Get-AuthConfig names, as the server holds it, or why there is none. */
function currentCertificate(
  authConfig: Row | undefined,
  certificates: readonly Row[],
): { certificate: CertificateInfo | null; problem?: string } {
  const thumbprint = str(authConfig?.CurrentCertificateThumbprint).toUpperCase();
  if (!thumbprint)
    return { certificate: null, problem: 'Get-AuthConfig shows no CurrentCertificateThumbprint.' };
  const row = certificates.find((candidate) => str(candidate.Thumbprint).toUpperCase() === thumbprint);
  if (!row) {
    return {
      certificate: null,
      problem: `The auth certificate ${thumbprint} named by Get-AuthConfig is not installed on this server.`,
    };
  }
  return {
    certificate: {
      thumbprint,
      subject: str(row.Subject),
      notBefore: str(row.NotBefore),
      notAfter: str(row.NotAfter),
    },
  };
}

function emptySnapshot(): Snapshot {
  return {
    mailUsers: new Map(),
    roles: new Map(),
    roleEntries: new Map(),
    roleAssignments: new Map(),
    servicePrincipals: new Map(),
  };
}

/** Reads `reads` (the EMS job and the Graph `$batch` in flight together) and builds the snapshot `steps` are diffed against. */
export async function readSnapshot(
  reads: PlanReads,
  steps: readonly RunbookStep[],
  ems: EmsRunner,
  graph: GraphPort,
): Promise<Snapshot> {
  const snapshot = emptySnapshot();
  const appNeeded = steps.some(needsDedicatedApp);
  const [results, principals, fullAccess] = await Promise.all([
    reads.ems.length > 0 ? ems.runReads(reads.ems) : Promise.resolve([]),
    reads.servicePrincipals.length > 0
      ? graph.readServicePrincipals(reads.servicePrincipals)
      : Promise.resolve<Record<string, ServicePrincipal | null>>({}),
    appNeeded ? readFullAccessRole(graph) : Promise.resolve(null),
  ]);
  let authConfig: Row | undefined;
  let certificates: readonly Row[] = [];
  let organizationConfig: Row | undefined;
  reads.ems.forEach((command, index) => {
    const result = results[index];
    if (!result) throw new CodedError('PROBE_FAILED', `No answer for ${renderCommand(command)}.`);
    const rows = rowsOrAbsent(command, result);
    if (command.cmdlet === 'Get-AuthConfig') authConfig = rows?.[0];
    else if (command.cmdlet === 'Get-ExchangeCertificate') certificates = rows ?? [];
    else {
      if (command.cmdlet === 'Get-OrganizationConfig') organizationConfig = rows?.[0];
      absorb(snapshot, command, rows);
    }
  });
  for (const appId of reads.servicePrincipals)
    snapshot.servicePrincipals.set(appId, principals[appId] ?? null);
  if (steps.some(needsCertificate)) {
    const { certificate, problem } = currentCertificate(authConfig, certificates);
    snapshot.authCertificate = certificate;
    if (problem) snapshot.authCertificateProblem = problem;
  }
  if (steps.some((step) => isRotationStep(step) || isHybridAppKeys(step)))
    snapshot.rotation = readRotation(authConfig, certificates);
  // The application is named after the organization, so it is read once Exchange has answered.
  if (appNeeded && snapshot.organizationGuid)
    snapshot.dedicatedApp = await readDedicatedApp(graph, snapshot.organizationGuid, fullAccess);
  if (steps.some((step) => step.kind === 'uploadRotatedHybridAppCertificate')) {
    snapshot.hybridApp = snapshot.dedicatedApp
      ? hybridAppViewOf(snapshot.dedicatedApp)
      : await readHybridApplication(graph, organizationConfig);
  }
  return snapshot;
}

/** Probes the org for these steps: one relay job of reads and one Graph `$batch`, in flight together. */
export function takeSnapshot(
  steps: readonly RunbookStep[],
  inputs: RunbookInputs,
  ems: EmsRunner,
  graph: GraphPort,
): Promise<Snapshot> {
  return readSnapshot(planReads(steps, inputs), steps, ems, graph);
}

/** The public-key export of a certificate (seed step "Export the Exchange Server Auth Certificate"). */
export function exportCommand(thumbprint: string): EmsCommand {
  return { cmdlet: 'Export-ExchangeCertificate', params: { Thumbprint: thumbprint, BinaryEncoded: true } };
}
