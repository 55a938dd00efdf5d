/**
 * The reads MonitorExchangeAuthCertificate.ps1 and HealthChecker make beyond the runbook's own: the auth
 * certificates on every Mailbox/Client Access server, the setting override, and the dedicated Exchange hybrid
 * application (its keys, its service principal and the full_access_as_app grant) through Graph.
 */
import type { EmsCommand, EmsResult } from '../core/ems';
import type { DedicatedAppReading } from '../core/entra';
import type { EmsRunner } from '../core/ports';

type Row = Record<string, unknown>;

/** Whether one server holds one auth certificate, as Get-ExchangeCertificate -Server answers. */
export interface ServerCertificate {
  readonly server: string;
  readonly which: 'current' | 'next';
  readonly thumbprint: string;
  /** `missing`: the server answered that it has no such certificate; `unreachable`: it did not answer. */
  readonly state: 'present' | 'missing' | 'unreachable';
  readonly detail: string;
}

/** The dedicated hybrid application as Graph shows it (`ExchangeServerApp-<organization GUID>`); `error` when Graph could not be read. */
export interface HybridAppProbe extends DedicatedAppReading {
  readonly name: string | null;
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

/** The dedicated hybrid application as the verification's `$batch` found it; `name` null when Exchange gave no GUID. */
export function hybridAppProbe(name: string | null, reading: DedicatedAppReading | null): HybridAppProbe {
  if (name !== null && reading !== null) return { name, ...reading };
  return {
    name,
    application: null,
    principalId: null,
    role: null,
    granted: false,
    error: 'Get-OrganizationConfig showed no organization GUID.',
  };
}
