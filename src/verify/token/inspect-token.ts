/** The token inspector: which first-party app issued a captured token, for which realm and host, and until when. */
import { decodeJwt } from './decode-jwt';
import { type AppPrincipal, describeApp, parseAppPrincipal } from './principals';

const EXCHANGE_APP_ID = '00000002-0000-0ff1-ce00-000000000000';

export interface InspectOptions {
  readonly now: Date;
  /** The org's tenant id: the realm every issuer should carry. */
  readonly tenantId?: string;
  /** Exchange host names tokens may be addressed to (e.g. mail.contoso.com). */
  readonly hosts?: readonly string[];
  /** The org's domain: any host under it counts as known. */
  readonly domain?: string;
}

export interface AudienceFacts {
  readonly raw: string | null;
  /** Whether it has the form `00000002-0000-0ff1-ce00-000000000000/<host>@<realm>`. */
  readonly exchangeForm: boolean;
  readonly host: string | null;
  /** null when no hosts or domain were given to compare with. */
  readonly hostKnown: boolean | null;
  readonly realm: string | null;
}

export interface ActorFacts {
  readonly issuer: AppPrincipal | null;
  readonly issuerRaw: string | null;
  /** The app the actor token speaks for (its nameid), when given in `<appId>@<realm>` form. */
  readonly nameId: AppPrincipal | null;
  readonly problem: string | null;
}

export interface TokenInspection {
  readonly kind: 'token';
  readonly algorithm: string;
  readonly issuerRaw: string | null;
  readonly issuer: AppPrincipal | null;
  /** Whether the issuer's realm is the tenant; null when no tenant id was given or there is no realm. */
  readonly realmIsTenant: boolean | null;
  readonly audience: AudienceFacts;
  readonly notBefore: string | null;
  readonly expiresAt: string | null;
  readonly expired: boolean | null;
  readonly actor: ActorFacts | null;
  /** What is wrong, in sentences; empty when nothing is. */
  readonly findings: readonly string[];
}

export type InspectOutcome = TokenInspection | { readonly kind: 'malformed'; readonly message: string };

const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const isoFromSeconds = (value: unknown): string | null =>
  typeof value === 'number' && Number.isFinite(value) ? new Date(value * 1000).toISOString() : null;

function audienceFacts(aud: unknown, options: InspectOptions): AudienceFacts {
  const candidates = Array.isArray(aud)
    ? aud.filter((item): item is string => typeof item === 'string')
    : [str(aud)];
  const raws = candidates.filter((item): item is string => item !== null);
  const parsed = raws
    .map(parseAppPrincipal)
    .find((principal) => principal?.appId === EXCHANGE_APP_ID && principal.host);
  if (!parsed) return { raw: raws[0] ?? null, exchangeForm: false, host: null, hostKnown: null, realm: null };
  const host = parsed.host ?? '';
  const hosts = (options.hosts ?? []).map((item) => item.toLowerCase());
  const domain = options.domain?.toLowerCase();
  const comparable = hosts.length > 0 || Boolean(domain);
  const known = hosts.includes(host) || (domain ? host === domain || host.endsWith(`.${domain}`) : false);
  return {
    raw: parsed.raw,
    exchangeForm: true,
    host,
    hostKnown: comparable ? known : null,
    realm: parsed.realm,
  };
}

function actorFacts(actortoken: unknown): ActorFacts | null {
  if (typeof actortoken !== 'string') return null;
  const inner = decodeJwt(actortoken);
  if (!inner.ok)
    return {
      issuer: null,
      issuerRaw: null,
      nameId: null,
      problem: `The actortoken is malformed: ${inner.problem}`,
    };
  const issuerRaw = str(inner.jwt.payload.iss);
  return {
    issuer: parseAppPrincipal(issuerRaw),
    issuerRaw,
    nameId: parseAppPrincipal(inner.jwt.payload.nameid),
    problem: null,
  };
}

/** Decodes a captured token (or Authorization header) without trusting it and says what it is. */
export function inspectToken(input: string, options: InspectOptions): InspectOutcome {
  const decoded = decodeJwt(input);
  if (!decoded.ok) return { kind: 'malformed', message: decoded.problem };
  const { header, payload } = decoded.jwt;
  const issuerRaw = str(payload.iss);
  const issuer = parseAppPrincipal(issuerRaw);
  const tenant = options.tenantId?.toLowerCase();
  const realmIsTenant = tenant && issuer?.realm ? issuer.realm === tenant : null;
  const audience = audienceFacts(payload.aud, options);
  const expiresAt = isoFromSeconds(payload.exp);
  const actor = actorFacts(payload.actortoken);
  const findings: string[] = [];
  if (!issuerRaw) findings.push('The token has no iss claim.');
  else if (!issuer) findings.push(`The issuer ${issuerRaw} is not of the form <appId>@<realm>.`);
  else if (!issuer.appName)
    findings.push(`The issuer ${issuer.appId} is not one of the integration's first-party apps.`);
  if (realmIsTenant === false)
    findings.push(`The issuer's realm ${issuer?.realm} is not the tenant ${tenant}.`);
  if (!audience.exchangeForm) {
    findings.push(
      `The audience ${audience.raw ?? '(none)'} is not of the form ${EXCHANGE_APP_ID}/<host>@<realm>.`,
    );
  } else if (audience.hostKnown === false) {
    findings.push(`The audience host ${audience.host} is not one of this org's Exchange hosts.`);
  }
  if (tenant && audience.realm && audience.realm !== tenant)
    findings.push(`The audience realm ${audience.realm} is not the tenant ${tenant}.`);
  const expired = expiresAt ? Date.parse(expiresAt) <= options.now.getTime() : null;
  if (expired) findings.push(`The token expired at ${expiresAt}.`);
  if (actor?.problem) findings.push(actor.problem);
  return {
    kind: 'token',
    algorithm: str(header.alg) ?? 'none',
    issuerRaw,
    issuer,
    realmIsTenant,
    audience,
    notBefore: isoFromSeconds(payload.nbf),
    expiresAt,
    expired,
    actor,
    findings,
  };
}

/** The inspection as text for a terminal. */
export function formatInspection(outcome: InspectOutcome): string {
  return inspectionLines(outcome).join('\n');
}

/** The inspection in the admin's words, one line each; a malformed token is one sentence. */
export function inspectionLines(outcome: InspectOutcome): string[] {
  if (outcome.kind === 'malformed') return [outcome.message];
  const lines: string[] = [];
  const issuer = outcome.issuer;
  lines.push(
    issuer
      ? `Issued by ${describeApp(issuer)} for realm ${issuer.realm || '(empty)'}${issuer.leadingSlash ? ' (written with a leading /)' : ''}${outcome.realmIsTenant === true ? ', the tenant' : ''}.`
      : `Issuer: ${outcome.issuerRaw ?? '(none)'}.`,
  );
  const audience = outcome.audience;
  lines.push(
    audience.exchangeForm
      ? `Audience: Exchange at ${audience.host} (realm ${audience.realm || '(empty)'})${audience.hostKnown === true ? ', a known host' : ''}.`
      : `Audience: ${audience.raw ?? '(none)'}.`,
  );
  if (outcome.expiresAt) lines.push(`${outcome.expired ? 'Expired' : 'Expires'} at ${outcome.expiresAt}.`);
  const actor = outcome.actor;
  if (actor && !actor.problem) {
    const inner = actor.issuer ? describeApp(actor.issuer) : (actor.issuerRaw ?? '(none)');
    const onBehalf = actor.nameId ? `, speaking for ${describeApp(actor.nameId)}` : '';
    lines.push(`Actor token issued by ${inner}${onBehalf}.`);
  }
  lines.push(`Signature (${outcome.algorithm}) not verified: the token is decoded, not trusted.`);
  if (outcome.findings.length > 0) lines.push(...outcome.findings.map((finding) => `! ${finding}`));
  return lines;
}
