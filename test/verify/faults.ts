/** The ways an integration breaks years after setup, done to a lab org the way they happen in a real one. */
import type { EmsCommand } from '../../src/core/ems';
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

/** An admin renewed the auth certificate on Exchange and uploaded it everywhere except `skipAppId`. */
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
