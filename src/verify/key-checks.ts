/** The auth certificate's key on every service principal the integration uses, and none left on 00000002. */
import type { KeyCredential } from '../core/entra';
import { APP_IDS, SHARED_EXCHANGE_SP_WARNING } from '../runbooks/app-ids';
import type { RunbookName } from '../runbooks/types';
import { exchangeThumbprints, keysWithThumbprint, sameInstant } from './facts';
import type { OrgProbe } from './probe';
import type { AuthCertificateFacts, Check, ServicePrincipalKeyFacts } from './types';

export interface UsedPrincipal {
  readonly appId: string;
  readonly appName: string;
}

const lower = (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : '');

/** The service principals the integration uses: the runbook's upload steps, or (rotation) those with a partner app. */
export function usedPrincipals(probe: OrgProbe): UsedPrincipal[] {
  const used = new Map<string, UsedPrincipal>();
  for (const step of probe.steps) {
    if (step.kind === 'uploadAuthCertificate')
      used.set(step.appId, { appId: step.appId, appName: step.appName });
    if (step.kind === 'uploadRotatedAuthCertificate') {
      const configured = probe.partnerApplications.rows.some(
        (row) => lower(row.ApplicationIdentifier) === step.appId,
      );
      if (configured) used.set(step.appId, { appId: step.appId, appName: step.appName });
    }
  }
  return [...used.values()];
}

/** Short stable id of a service principal's key check. */
export const keyCheckId = (appId: string) => `sp-key-${appId.slice(0, 8)}`;

function describe(key: KeyCredential): string {
  return `${key.customKeyIdentifier ?? key.keyId} (${key.startDateTime} to ${key.endDateTime})`;
}

/** One service principal: the current certificate's key with matching dates, the staged one's key, expired keys listed. */
export function servicePrincipalKeyCheck(
  used: UsedPrincipal,
  probe: OrgProbe,
  facts: AuthCertificateFacts,
  now: Date,
  runbook: RunbookName,
): Check {
  const base = {
    id: keyCheckId(used.appId),
    title: `${used.appName} (${used.appId}) holds the auth certificate's key`,
    alertBy: 'drift' as const,
  };
  const principal = probe.principals[used.appId];
  if (!principal) {
    return {
      ...base,
      ok: false,
      detail: `The tenant has no service principal ${used.appId}.`,
      fix: '',
      fixRunbook: null,
    };
  }
  const expired = principal.keyCredentials.filter((key) => Date.parse(key.endDateTime) < now.getTime());
  const expiredNote =
    expired.length > 0 ? ` Expired keys still listed: ${expired.map(describe).join(', ')}.` : '';
  const current = facts.current;
  if (!current)
    return {
      ...base,
      ok: false,
      detail: `No current auth certificate to compare.${expiredNote}`,
      fix: '',
      fixRunbook: 'rotate-auth-cert',
    };
  const patch = (thumbprint: string) =>
    `PATCH /v1.0/servicePrincipals/${principal.id} (keyCredentials of ${used.appId}): add ${thumbprint}, keep unexpired keys`;
  const problems: string[] = [];
  const fixes: string[] = [];
  let fixRunbook: RunbookName | null = null;
  const matching = keysWithThumbprint(principal.keyCredentials, current.thumbprint);
  const exact = matching.find(
    (key) =>
      sameInstant(key.startDateTime, current.notBefore) && sameInstant(key.endDateTime, current.notAfter),
  );
  if (matching.length === 0) {
    problems.push(`No key with the current thumbprint ${current.thumbprint}.`);
    fixes.push(patch(current.thumbprint));
    fixRunbook = runbook;
  } else if (!exact) {
    problems.push(
      `The key ${describe(matching[0] as KeyCredential)} does not match the certificate's dates ${current.notBefore} to ${current.notAfter}.`,
    );
    fixRunbook = runbook;
  }
  const next = facts.next;
  if (next?.notAfter && keysWithThumbprint(principal.keyCredentials, next.thumbprint).length === 0) {
    problems.push(
      `The staged certificate ${next.thumbprint} (effective ${next.effectiveDate ?? 'now'}) is not uploaded yet.`,
    );
    fixes.push(patch(next.thumbprint));
    fixRunbook = 'rotate-auth-cert';
  }
  const ok = problems.length === 0;
  return {
    ...base,
    ok,
    detail: ok
      ? `Key ${current.thumbprint} valid ${current.notBefore} to ${current.notAfter}, as the certificate.${expiredNote}`
      : `${problems.join(' ')}${expiredNote}`,
    fix: fixes.join('\n'),
    fixRunbook,
  };
}

/** No Exchange Server certificate left on the shared Exchange Online service principal (dedicated hybrid app guidance). */
export function sharedExchangePrincipalCheck(probe: OrgProbe): Check {
  const base = {
    id: 'exchange-online-sp-no-onprem-key',
    title: `No Exchange Server certificate on the shared Exchange Online service principal (${APP_IDS.exchangeOnline})`,
    alertBy: 'drift' as const,
  };
  const principal = probe.principals[APP_IDS.exchangeOnline];
  const ours = exchangeThumbprints(probe);
  const left = (principal?.keyCredentials ?? []).filter((key) =>
    ours.has((key.customKeyIdentifier ?? '').toUpperCase()),
  );
  if (left.length === 0) {
    return {
      ...base,
      ok: true,
      detail: "No key of this server's certificates is on the shared Exchange Online service principal.",
      fix: '',
      fixRunbook: null,
    };
  }
  return {
    ...base,
    ok: false,
    detail: `${left.length} key(s) of this server's certificates are on the shared service principal: ${left.map(describe).join(', ')}. ${SHARED_EXCHANGE_SP_WARNING}`,
    fix: 'plan dedicated-hybrid-app, then plan shared-sp-cleanup',
    fixRunbook: 'shared-sp-cleanup',
  };
}

/** The facts the `cert` command shows for each service principal. */
export function principalKeyFacts(
  used: readonly UsedPrincipal[],
  probe: OrgProbe,
  now: Date,
): ServicePrincipalKeyFacts[] {
  return used.map(({ appId, appName }) => {
    const principal = probe.principals[appId];
    return {
      appId,
      appName,
      present: Boolean(principal),
      keys: (principal?.keyCredentials ?? []).map((key) => ({
        thumbprint: (key.customKeyIdentifier ?? key.keyId).toUpperCase(),
        startDateTime: key.startDateTime,
        endDateTime: key.endDateTime,
        expired: Date.parse(key.endDateTime) < now.getTime(),
      })),
    };
  });
}
