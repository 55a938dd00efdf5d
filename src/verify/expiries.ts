/** The dates the watch counts down to: the current certificate, the next one's effective date, the service principals' keys. */
import { keysWithThumbprint, sameInstant } from './facts';
import type { UsedPrincipal } from './key-checks';
import type { OrgProbe } from './probe';
import type { AuthCertificateFacts, ExpiryItem } from './types';

/**
 * A key whose thumbprint and end date are the certificate's shares its countdown (one alert, listing where it lives);
 * a key with other dates gets its own countdown.
 */
export function expiryItems(
  facts: AuthCertificateFacts,
  used: readonly UsedPrincipal[],
  probe: OrgProbe,
): ExpiryItem[] {
  const items: ExpiryItem[] = [];
  const certificates = [facts.current, facts.next].filter((cert) => cert?.notAfter);
  for (const cert of certificates) {
    if (!cert) continue;
    const where = ['Exchange'];
    for (const { appId, appName } of used) {
      const keys = keysWithThumbprint(probe.principals[appId]?.keyCredentials ?? [], cert.thumbprint);
      for (const key of keys) {
        if (sameInstant(key.endDateTime, cert.notAfter)) {
          if (!where.includes(appName)) where.push(appName);
          continue;
        }
        items.push({
          id: `sp-key:${appId}:${key.keyId}`,
          kind: 'servicePrincipalKey',
          title: `Key ${cert.thumbprint} on ${appName}`,
          at: key.endDateTime,
          thumbprint: cert.thumbprint,
          where: [appName],
          fixRunbook: 'rotate-auth-cert',
          announce: 'thresholds',
        });
      }
    }
    // A staged certificate that takes over before this one expires makes its countdown moot; the next one's counts.
    const covered =
      facts.next?.effectiveDate && Date.parse(facts.next.effectiveDate) < Date.parse(cert.notAfter);
    if (cert === facts.current && !covered) {
      items.push({
        id: `auth-certificate:${cert.thumbprint}`,
        kind: 'authCertificate',
        title: `Exchange auth certificate ${cert.thumbprint}`,
        at: cert.notAfter,
        thumbprint: cert.thumbprint,
        where,
        fixRunbook: 'rotate-auth-cert',
        announce: 'thresholds',
      });
    }
  }
  const next = facts.next;
  if (next?.notAfter) {
    // The staged certificate's own expiry counts down too (MonitorExchangeAuthCertificate renews a next one with 120 days or fewer).
    items.push({
      id: `next-certificate-expiry:${next.thumbprint}`,
      kind: 'nextCertificate',
      title: `Next auth certificate ${next.thumbprint}`,
      at: next.notAfter,
      thumbprint: next.thumbprint,
      where: ['Exchange'],
      fixRunbook: 'rotate-auth-cert',
      announce: 'thresholds',
    });
  }
  if (next?.effectiveDate) {
    // With the staged key already on every service principal nothing is due before the effective date but publishing.
    const keysReady = used.every(
      ({ appId }) =>
        keysWithThumbprint(probe.principals[appId]?.keyCredentials ?? [], next.thumbprint).length > 0,
    );
    // The AuthAdmin servicelet publishes it within 12 hours of the effective date: only then is anything due.
    items.push({
      id: `next-certificate:${next.thumbprint}`,
      kind: 'nextCertificateEffective',
      title: `Next auth certificate ${next.thumbprint} becomes effective`,
      at: new Date(Date.parse(next.effectiveDate) + 12 * 3_600_000).toISOString(),
      thumbprint: next.thumbprint,
      where: ['Exchange'],
      fixRunbook: 'rotate-auth-cert',
      announce: keysReady ? 'due' : 'thresholds',
    });
  }
  return items;
}
