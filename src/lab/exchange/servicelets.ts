/**
 * What Exchange does on its own, between commands: the AuthAdmin servicelet publishing a staged auth certificate
 * and the certificate servicelet copying auth certificates to the servers. The lab runs both, deterministically,
 * against the injected clock before every command.
 */
import { isoSeconds } from '../../core/time';
import type { LabState } from '../state';

const HOUR_MS = 3_600_000;
/** The lab's AuthAdmin servicelet runs every 12 hours, at these UTC hours (the real one: 12 hours after the service starts). */
const AUTH_ADMIN_HOURS_UTC = [6, 18] as const;

/** The latest AuthAdmin run at or before `now`. */
export function latestAuthAdminRun(now: Date): Date {
  const day = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const runs = [-1, 0].flatMap((offset) =>
    AUTH_ADMIN_HOURS_UTC.map((hour) => day + offset * 24 * HOUR_MS + hour * HOUR_MS),
  );
  return new Date(Math.max(...runs.filter((run) => run <= now.getTime())));
}

/**
 * The AuthAdmin servicelet: a run at or after the next certificate's effective date publishes it (next becomes
 * current, current becomes previous), as `Set-AuthConfig -PublishCertificate` would. Only runs after the one the
 * lab last accounted for count, so a certificate staged after a run waits for the next one.
 */
export function runAuthAdmin(state: LabState, now: Date): void {
  const exchange = state.org.exchange;
  const latest = latestAuthAdminRun(now);
  const last = exchange.authAdminLastRunAt === null ? null : Date.parse(exchange.authAdminLastRunAt);
  exchange.authAdminLastRunAt = isoSeconds(latest);
  // A file that never recorded a run starts counting now, without acting on runs it can't know happened.
  if (last === null || latest.getTime() <= last) return;
  const config = state.org.authConfig;
  if (config.nextCertificateThumbprint === null || config.nextCertificateEffectiveDate === null) return;
  if (Date.parse(config.nextCertificateEffectiveDate) > latest.getTime()) return;
  config.previousCertificateThumbprint = config.currentCertificateThumbprint;
  config.currentCertificateThumbprint = config.nextCertificateThumbprint;
  config.nextCertificateThumbprint = null;
  config.nextCertificateEffectiveDate = null;
}

/**
 * The certificate servicelet: the auth configuration's current and next certificates, once on a Mailbox server,
 * are copied to every online Mailbox server of the same AD site. The lab never copies across sites (the real
 * servicelet usually does, but not always: Microsoft's fix is Export/Import into one server of the other site).
 */
export function replicateAuthCertificates(state: LabState): void {
  const config = state.org.authConfig;
  const wanted = [config.currentCertificateThumbprint, config.nextCertificateThumbprint].filter(
    (thumbprint): thumbprint is string => thumbprint !== null && thumbprint !== '',
  );
  const mailbox = state.org.servers.filter((server) => server.role === 'Mailbox' && server.online);
  for (const thumbprint of wanted) {
    const sites = new Set(
      mailbox.filter((server) => server.certificates.includes(thumbprint)).map((server) => server.site),
    );
    for (const server of mailbox) {
      if (sites.has(server.site) && !server.certificates.includes(thumbprint))
        server.certificates.push(thumbprint);
    }
  }
}
