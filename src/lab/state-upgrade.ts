/**
 * Brings a lab file written before servers, accepted domains and the organization GUID existed to the current
 * shape, before the schema checks it: its one server, holding every certificate, gets the version the file named.
 * Anything that doesn't look like a lab file is passed on untouched for the schema to reject.
 */
import { createHash } from 'node:crypto';
import { adminDisplayVersionOf, fileVersionOf, parseExchangeBuild } from '../exchange/builds';
import { EXCHANGE_ONLINE_RESOURCE_APP_ID, exchangeOnlineAppRoles } from './exchange-online-roles';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The version a file from before `servers` ran when it named none. */
const LEGACY_VERSION = 'Version 15.2 (Build 1544.4)';

/** Returns `raw` with the fields older files lack filled in (a copy; the input is not changed). */
export function upgradeLabState(raw: unknown): unknown {
  if (!isObject(raw) || !isObject(raw.org) || !isObject(raw.tenant)) return raw;
  const org: Json = { ...raw.org };
  const tenant: Json = { ...raw.tenant };
  const domain = typeof org.domain === 'string' ? org.domain : '';
  if (org.servers === undefined) {
    const exchange: Json = isObject(org.exchange) ? { ...org.exchange } : {};
    org.servers = [legacyServer(exchange.adminDisplayVersion, domain, org.certificates)];
    delete exchange.adminDisplayVersion;
    org.exchange = exchange;
  }
  if (org.localServer === undefined && Array.isArray(org.servers)) {
    const mailbox = org.servers.find((server) => isObject(server) && server.role === 'Mailbox');
    if (isObject(mailbox)) org.localServer = mailbox.name;
  }
  if (org.organizationGuid === undefined) {
    org.organizationGuid = stableGuid(`${String(tenant.tenantId)}|${domain}`);
  }
  if (org.acceptedDomains === undefined && domain !== '') {
    org.acceptedDomains = [{ name: domain, domainName: domain, domainType: 'Authoritative', default: true }];
  }
  if (Array.isArray(tenant.servicePrincipals))
    tenant.servicePrincipals = tenant.servicePrincipals.map(withRoles);
  return { ...raw, org, tenant };
}

function legacyServer(version: unknown, domain: string, certificates: unknown): Json {
  const build = parseExchangeBuild(typeof version === 'string' ? version : LEGACY_VERSION);
  const thumbprints = Array.isArray(certificates)
    ? certificates.flatMap((cert) =>
        isObject(cert) && typeof cert.thumbprint === 'string' ? [cert.thumbprint] : [],
      )
    : [];
  return {
    name: 'EX01',
    fqdn: `ex01.${domain}`,
    role: 'Mailbox',
    // An AdminDisplayVersion names the CU only; the installed update is unknown, so ExSetup shows the same build.
    adminDisplayVersion: build ? adminDisplayVersionOf(build) : String(version),
    exSetupVersion: build ? fileVersionOf(build) : String(version),
    certificates: thumbprints,
  };
}

/** Exchange Online's service principal in an older file gets the roles it always had. */
function withRoles(sp: unknown): unknown {
  if (!isObject(sp) || sp.appRoles !== undefined || sp.appId !== EXCHANGE_ONLINE_RESOURCE_APP_ID) return sp;
  return { ...sp, appRoles: exchangeOnlineAppRoles() };
}

/** A GUID derived from `seed`, so an older file gets the same organization GUID every time it is loaded. */
function stableGuid(seed: string): string {
  const hex = createHash('sha1').update(seed).digest('hex');
  const variant = ((Number.parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
