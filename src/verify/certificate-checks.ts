/** The Exchange auth certificate: current one valid and usable, its expiry, a next one staged and due. */
import { renderCommand } from '../exchange/render';
import { daysUntil } from './facts';
import type { AuthCertificateFacts, Check } from './types';

const ROTATE = 'rotate-auth-cert' as const;

const days = (n: number) => `${n} day${Math.abs(n) === 1 ? '' : 's'}`;

/** The certificate Get-AuthConfig names is installed and has its private key. */
export function authCertificateCheck(facts: AuthCertificateFacts): Check {
  const current = facts.current;
  const base = {
    id: 'auth-certificate',
    title: 'Exchange auth certificate is installed and usable',
    alertBy: 'drift' as const,
  };
  if (!current) {
    return {
      ...base,
      ok: false,
      detail: facts.problem ?? 'No auth certificate.',
      fix: '',
      fixRunbook: ROTATE,
    };
  }
  if (!current.hasPrivateKey) {
    return {
      ...base,
      ok: false,
      detail: `The auth certificate ${current.thumbprint} has no private key on this server, so it cannot sign tokens.`,
      fix: '',
      fixRunbook: ROTATE,
    };
  }
  return {
    ...base,
    ok: true,
    detail: `Auth certificate ${current.thumbprint} (${current.subject}), valid ${current.notBefore} to ${current.notAfter}.`,
    fix: '',
    fixRunbook: null,
  };
}

/** Fails from `warningDays` before expiry, unless a next certificate is staged to take over in time. */
export function authCertificateExpiryCheck(
  facts: AuthCertificateFacts,
  now: Date,
  warningDays: number,
): Check {
  const base = {
    id: 'auth-certificate-expiry',
    title: 'Exchange auth certificate is not about to expire',
    alertBy: 'expiry' as const,
  };
  const current = facts.current;
  if (!current)
    return {
      ...base,
      ok: false,
      detail: 'No current auth certificate to date.',
      fix: '',
      fixRunbook: ROTATE,
    };
  const left = daysUntil(current.notAfter, now);
  const next = facts.next;
  const takesOver =
    next?.effectiveDate && next.notAfter && Date.parse(next.effectiveDate) < Date.parse(current.notAfter);
  if (left < 0) {
    return {
      ...base,
      ok: false,
      detail: `The auth certificate ${current.thumbprint} expired on ${current.notAfter}: OAuth to Teams and Exchange Online fails until a new one is published and uploaded.`,
      fix: '',
      fixRunbook: ROTATE,
    };
  }
  if (left > warningDays || takesOver) {
    const staged = takesOver
      ? `; the next certificate ${next?.thumbprint} takes over on ${next?.effectiveDate}`
      : '';
    return {
      ...base,
      ok: true,
      detail: `Expires on ${current.notAfter} (in ${days(left)})${staged}.`,
      fix: '',
      fixRunbook: null,
    };
  }
  return {
    ...base,
    ok: false,
    detail: `The auth certificate ${current.thumbprint} expires on ${current.notAfter} (in ${days(left)}) and no next certificate is staged. Plan rotate-auth-cert.`,
    fix: '',
    fixRunbook: ROTATE,
  };
}

/** The AuthAdmin servicelet runs every 12 hours ("Maintain the Exchange Server OAuth certificate"). */
const AUTH_ADMIN_PERIOD_MS = 12 * 3_600_000;

/** Microsoft's steps for a new auth certificate, staged 30 days ahead as MonitorExchangeAuthCertificate.ps1 does. */
const RESTAGE_FIX = [
  "$newCertificate = New-ExchangeCertificate -KeySize 2048 -PrivateKeyExportable $true -SubjectName 'cn=Microsoft Exchange Server Auth Certificate' -FriendlyName 'Microsoft Exchange Server Auth Certificate' -DomainName @()",
  'Set-AuthConfig -NewCertificateThumbprint $newCertificate.Thumbprint -NewCertificateEffectiveDate (Get-Date).AddDays(30) -Force',
].join('\n');

/**
 * A staged next certificate is installed, valid and not itself about to expire, and published by the AuthAdmin
 * servicelet within 12 hours of its effective date.
 */
export function nextCertificateCheck(
  facts: AuthCertificateFacts,
  now: Date,
  dc: string,
  warningDays: number,
): Check {
  const base = {
    id: 'auth-certificate-next',
    title: 'Next auth certificate staged correctly',
    alertBy: 'expiry' as const,
  };
  const next = facts.next;
  if (!next)
    return { ...base, ok: true, detail: 'No next certificate is staged.', fix: '', fixRunbook: null };
  const dcParam: Record<string, string> = dc ? { DomainController: dc } : {};
  if (!next.notAfter) {
    return {
      ...base,
      ok: false,
      detail: `The next certificate ${next.thumbprint} named by Get-AuthConfig is not installed on this server.`,
      fix: '',
      fixRunbook: ROTATE,
    };
  }
  if (Date.parse(next.notAfter) < now.getTime()) {
    return {
      ...base,
      ok: false,
      detail: `The staged certificate ${next.thumbprint} expired on ${next.notAfter}.`,
      fix: '',
      fixRunbook: ROTATE,
    };
  }
  const left = daysUntil(next.notAfter, now);
  if (left <= warningDays) {
    return {
      ...base,
      ok: false,
      detail: `The staged certificate ${next.thumbprint} itself expires on ${next.notAfter} (in ${days(left)}): stage a new one instead.`,
      fix: RESTAGE_FIX,
      fixRunbook: null,
    };
  }
  const effective = next.effectiveDate ?? now.toISOString();
  const overdue = Date.parse(effective) + AUTH_ADMIN_PERIOD_MS <= now.getTime();
  if (overdue) {
    return {
      ...base,
      ok: false,
      detail: `The next certificate ${next.thumbprint} became effective on ${effective}, but the AuthAdmin servicelet (every 12 hours) has not published it.`,
      fix: [
        "Restart-Service -Name 'MSExchangeServiceHost'",
        renderCommand({ cmdlet: 'Set-AuthConfig', params: { PublishCertificate: true, ...dcParam } }),
      ].join('\n'),
      fixRunbook: null,
    };
  }
  if (Date.parse(effective) <= now.getTime()) {
    return {
      ...base,
      ok: true,
      detail: `Next certificate ${next.thumbprint} became effective on ${effective}; the AuthAdmin servicelet publishes it at its next run (every 12 hours).`,
      fix: '',
      fixRunbook: null,
    };
  }
  return {
    ...base,
    ok: true,
    detail: `Next certificate ${next.thumbprint} (valid to ${next.notAfter}) is staged, effective ${effective} (in ${days(daysUntil(effective, now))}).`,
    fix: '',
    fixRunbook: null,
  };
}
