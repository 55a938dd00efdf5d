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

/** A staged next certificate is installed, valid, and published once its effective date has passed. */
export function nextCertificateCheck(facts: AuthCertificateFacts, now: Date, dc: string): Check {
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
  const effective = next.effectiveDate ?? now.toISOString();
  if (Date.parse(effective) <= now.getTime()) {
    return {
      ...base,
      ok: false,
      detail: `The next certificate ${next.thumbprint} became effective on ${effective} but is not published yet.`,
      fix: renderCommand({ cmdlet: 'Set-AuthConfig', params: { PublishCertificate: true, ...dcParam } }),
      fixRunbook: ROTATE,
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
