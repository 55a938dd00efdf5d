/**
 * The reads MonitorExchangeAuthCertificate.ps1 and HealthChecker make beyond the runbook's own: the auth
 * certificates on every Mailbox/Client Access server, the setting override, and the dedicated Exchange hybrid
 * application (its keys, its service principal and the full_access_as_app grant) through Graph.
 */
import type { EmsCommand, EmsResult } from '../core/ems';
import type { Application, ResolvedAppRole } from '../core/entra';
import type { EmsRunner, GraphPort } from '../core/ports';
import { dedicatedAppName } from '../graph/dedicated-app';
import { APP_IDS } from '../runbooks/app-ids';

type Row = Record<string, unknown>;

/** The application permission the dedicated hybrid application needs on Office 365 Exchange Online. */
export const FULL_ACCESS_AS_APP = 'full_access_as_app';

/** Whether one server holds one auth certificate, as Get-ExchangeCertificate -Server answers. */
export interface ServerCertificate {
  readonly server: string;
  readonly which: 'current' | 'next';
  readonly thumbprint: string;
  /** `missing`: the server answered that it has no such certificate; `unreachable`: it did not answer. */
  readonly state: 'present' | 'missing' | 'unreachable';
  readonly detail: string;
}

/** The dedicated hybrid application as Graph shows it; `error` when Graph could not be read. */
export interface HybridAppProbe {
  readonly name: string | null;
  readonly application: Application | null;
  /** The object id of its service principal; null when it has none. */
  readonly principalId: string | null;
  readonly role: ResolvedAppRole | null;
  readonly granted: boolean;
  readonly error: string | null;
}

const str = (value: unknown): string => (typeof value === 'string' ? value : '');

/** The servers MonitorExchangeAuthCertificate checks: Mailbox or Client Access, not Edge. */
export function certificateServers(rows: readonly Row[]): string[] {
  return rows
    .filter(
      (row) =>
        row.IsEdgeServer !== true && (row.IsMailboxServer === true || row.IsClientAccessServer === true),
    )
    .map((row) => str(row.Name))
    .filter((name) => name !== '');
}

function serverState(result: EmsResult | undefined): Pick<ServerCertificate, 'state' | 'detail'> {
  if (!result) return { state: 'unreachable', detail: 'no answer' };
  if (result.ok) return { state: result.output.length > 0 ? 'present' : 'missing', detail: '' };
  // Exchange's "The certificate with thumbprint … was not found." is an InvalidOperationException; anything else means
  // the server could not be asked (MonitorExchangeAuthCertificate.ps1 tells them apart the same way).
  const missing = /certificate with thumbprint .*was not found/i.test(result.error.message);
  return { state: missing ? 'missing' : 'unreachable', detail: result.error.message };
}

/** Asks every server for the current and the next auth certificate (one relay job). */
export async function probeServerCertificates(
  ems: EmsRunner,
  servers: readonly string[],
  thumbprints: { readonly current: string | null; readonly next: string | null },
): Promise<ServerCertificate[]> {
  const wanted = (['current', 'next'] as const).flatMap((which) => {
    const thumbprint = thumbprints[which];
    return thumbprint ? [{ which, thumbprint }] : [];
  });
  const asks = servers.flatMap((server) => wanted.map((want) => ({ server, ...want })));
  if (asks.length === 0) return [];
  const commands: EmsCommand[] = asks.map((ask) => ({
    cmdlet: 'Get-ExchangeCertificate',
    params: { Server: ask.server, Thumbprint: ask.thumbprint },
  }));
  const results = await ems.runReads(commands);
  return asks.map((ask, index) => ({ ...ask, ...serverState(results[index]) }));
}

/** Finds `ExchangeServerApp-<organization GUID>`, its service principal and whether full_access_as_app is granted. */
export async function probeHybridApp(graph: GraphPort, organizationGuid: string): Promise<HybridAppProbe> {
  const name = organizationGuid ? dedicatedAppName(organizationGuid) : null;
  const empty = { name, application: null, principalId: null, role: null, granted: false };
  if (!name) return { ...empty, error: 'Get-OrganizationConfig showed no organization GUID.' };
  try {
    const application = await graph.findApplication(name);
    if (!application) return { ...empty, error: null };
    const role = await graph.findAppRole(APP_IDS.exchangeOnline, FULL_ACCESS_AS_APP);
    const principal = await graph
      .send({
        method: 'GET',
        path: `/servicePrincipals(appId='${application.appId}')?$select=id`,
        body: null,
      })
      .catch(() => null);
    const principalId = str((principal as Row | null)?.id) || null;
    const assignments = principalId ? await graph.listAppRoleAssignments(principalId) : [];
    const granted = assignments.some(
      (a) => role !== null && a.resourceId === role.resourceId && a.appRoleId === role.appRoleId,
    );
    return { name, application, principalId, role, granted, error: null };
  } catch (error) {
    return { ...empty, error: error instanceof Error ? error.message : String(error) };
  }
}
