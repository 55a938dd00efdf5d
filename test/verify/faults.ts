/** The ways an integration breaks years after setup, done to a lab org the way they happen in a real one. */
import type { EmsCommand } from '../../src/core/ems';
import { createAuthCertificate } from '../../src/lab/certificates';
import type { LabSession } from '../../src/lab/lab-session';

async function run(session: LabSession, command: EmsCommand): Promise<Record<string, unknown>[]> {
  const result = await session.exchange.execute(command);
  if (!result.ok) throw new Error(`${command.cmdlet}: ${result.error.message}`);
  return [...result.output];
}

function principal(session: LabSession, appId: string) {
  const found = session.state.tenant.servicePrincipals.find((sp) => sp.appId === appId);
  if (!found) throw new Error(`no service principal ${appId}`);
  return found;
}

/** The org's dedicated Exchange hybrid application's appId, when it has one. */
export function hybridAppId(session: LabSession): string | undefined {
  const name = `ExchangeServerApp-${session.state.org.organizationGuid}`;
  return session.state.tenant.applications.find((app) => app.displayName === name)?.appId;
}

/** An admin renewed the auth certificate on Exchange and uploaded it to `uploadTo` and the dedicated hybrid application. */
export async function renewCertificateExceptOn(
  session: LabSession,
  uploadTo: readonly string[],
): Promise<string> {
  const [created] = await run(session, {
    cmdlet: 'New-ExchangeCertificate',
    params: {
      SubjectName: 'CN=Microsoft Exchange Server Auth Certificate',
      DomainName: [],
      Services: 'None',
    },
  });
  const thumbprint = String(created?.Thumbprint);
  await run(session, { cmdlet: 'Set-AuthConfig', params: { NewCertificateThumbprint: thumbprint } });
  await run(session, { cmdlet: 'Set-AuthConfig', params: { PublishCertificate: true } });
  const [exported] = await run(session, {
    cmdlet: 'Export-ExchangeCertificate',
    params: { Thumbprint: thumbprint, BinaryEncoded: true },
  });
  const certificate = {
    thumbprint,
    subject: String(created?.Subject),
    notBefore: String(created?.NotBefore),
    notAfter: String(created?.NotAfter),
    derBase64: String(exported?.FileData),
  };
  for (const appId of uploadTo) await session.graph.uploadAuthCertificate(appId, certificate);
  const hybridApp = hybridAppId(session);
  if (hybridApp) await session.graph.uploadApplicationCertificate(hybridApp, certificate);
  return thumbprint;
}

/** Someone removed every key from a service principal in the Entra portal. */
export function removeKeys(session: LabSession, appId: string): void {
  principal(session, appId).keyCredentials = [];
}

/** Someone disabled a partner application on Exchange. */
export async function disablePartnerApplication(session: LabSession, name: string): Promise<void> {
  await run(session, { cmdlet: 'Set-PartnerApplication', params: { Identity: name, Enabled: false } });
}

/** Someone added an entry back to a trimmed role (Add-ManagementRoleEntry is not on hybridops' allowlist). */
export function addRoleEntry(session: LabSession, role: string, entry: string): void {
  const found = session.state.org.managementRoles.find((candidate) => candidate.name === role);
  if (!found) throw new Error(`no role ${role}`);
  found.entries.push(entry);
}

/** Someone removed the EvoSts and ACS auth servers (Remove-AuthServer). */
export function removeAuthServers(session: LabSession): void {
  session.state.org.authServers = [];
}

/** Someone uploaded the Exchange auth certificate to the shared Exchange Online service principal (classic HCW). */
export async function uploadToSharedExchangePrincipal(session: LabSession): Promise<void> {
  const thumbprint = session.state.org.authConfig.currentCertificateThumbprint;
  const cert = session.state.org.certificates.find((candidate) => candidate.thumbprint === thumbprint);
  if (!cert) throw new Error('no current certificate');
  await session.graph.uploadAuthCertificate('00000002-0000-0ff1-ce00-000000000000', {
    thumbprint,
    subject: cert.subject,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    derBase64: cert.derBase64,
  });
}

/** An admin imported a certificate valid for only `validDays` on every server and staged it, effective in `effectiveInDays`. */
export async function stageShortLivedCertificate(
  session: LabSession,
  now: Date,
  validDays: number,
  effectiveInDays: number,
): Promise<string> {
  const created = await createAuthCertificate({
    notBefore: new Date(now.getTime() - 86_400_000),
    notAfter: new Date(now.getTime() + validDays * 86_400_000),
  });
  const org = session.state.org;
  org.certificates.push({
    thumbprint: created.thumbprint,
    subject: created.subject,
    friendlyName: 'Imported auth certificate',
    notBefore: created.notBefore,
    notAfter: created.notAfter,
    services: ['None'],
    derBase64: created.derBase64,
  });
  org.certificatePrivateKeys[created.thumbprint] = created.privateKeyPem;
  for (const server of org.servers) server.certificates.push(created.thumbprint);
  await run(session, {
    cmdlet: 'Set-AuthConfig',
    params: {
      NewCertificateThumbprint: created.thumbprint,
      NewCertificateEffectiveDate: new Date(now.getTime() + effectiveInDays * 86_400_000).toISOString(),
      Force: true,
    },
  });
  return created.thumbprint;
}
