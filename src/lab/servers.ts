/** The Exchange servers of a new lab org, and the `--servers` text that describes them. */
import { CodedError } from '../core/errors';
import {
  adminDisplayVersionOf,
  cumulativeUpdateOf,
  fileVersionOf,
  parseExchangeBuild,
} from '../exchange/builds';
import type { ExchangeServer } from './state';

/** One server to create: its name, and optionally ExSetup's build, its role, AD site, and whether it answers. */
export interface LabServerSpec {
  readonly name: string;
  /** e.g. `15.2.1544.25`; default Exchange 2019 CU15 with the April 2025 HU (15.2.1748.24). */
  readonly build?: string;
  readonly role?: 'Mailbox' | 'Edge';
  readonly site?: string;
  readonly online?: boolean;
}

/** Exchange 2019 CU15 Apr25HU: the first build of that CU with the dedicated hybrid application. */
export const DEFAULT_BUILD = '15.2.1748.24';
export const DEFAULT_SITE = 'Default-First-Site-Name';
const SERVER_NAME = /^[A-Za-z0-9][A-Za-z0-9-]{0,14}$/;

/**
 * Reads `EX01:15.2.1544.25,EX02:15.1.2507.55:site=Branch,EDGE01:Edge`: comma-separated servers, each a name
 * followed by any of `:<build>`, `:Edge`, `:Mailbox`, `:site=<name>`, `:offline`.
 */
export function parseServerList(text: string): LabServerSpec[] {
  const entries = text.split(',').map((entry) => entry.trim());
  const specs = entries.map(parseServerEntry);
  const names = specs.map((spec) => spec.name.toLowerCase());
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate) throw usage(`--servers names ${duplicate} twice.`);
  if (!specs.some((spec) => spec.role !== 'Edge'))
    throw usage('--servers needs at least one Mailbox server.');
  return specs;
}

function parseServerEntry(entry: string): LabServerSpec {
  const [name = '', ...attributes] = entry.split(':');
  if (!SERVER_NAME.test(name))
    throw usage(`--servers: "${name}" is not a server name (up to 15 letters, digits or -).`);
  let spec: { -readonly [K in keyof LabServerSpec]: LabServerSpec[K] } = { name };
  for (const attribute of attributes) {
    if (/^(edge|mailbox)$/i.test(attribute))
      spec = { ...spec, role: /^edge$/i.test(attribute) ? 'Edge' : 'Mailbox' };
    else if (/^offline$/i.test(attribute)) spec = { ...spec, online: false };
    else if (/^site=[^,]+$/i.test(attribute)) spec = { ...spec, site: attribute.slice('site='.length) };
    else if (parseExchangeBuild(attribute)) spec = { ...spec, build: attribute };
    else
      throw usage(
        `--servers: "${attribute}" in "${entry}" is not a build (15.2.1748.24), Edge, Mailbox, site=NAME or offline.`,
      );
  }
  return spec;
}

/** The servers' state: each Mailbox server holds `certificates`; AdminDisplayVersion names the CU of its build. */
export function buildServers(
  specs: readonly LabServerSpec[],
  domain: string,
  certificates: readonly string[],
): ExchangeServer[] {
  return specs.map((spec) => {
    const build = parseExchangeBuild(spec.build ?? DEFAULT_BUILD);
    if (!build)
      throw usage(
        `The build "${spec.build}" of ${spec.name} is not a build number such as ${DEFAULT_BUILD}.`,
      );
    const rtm = parseExchangeBuild(cumulativeUpdateOf(build)?.rtm ?? '') ?? build;
    const role = spec.role ?? 'Mailbox';
    return {
      name: spec.name,
      fqdn: `${spec.name.toLowerCase()}.${domain}`,
      role,
      edition: 'Standard',
      adminDisplayVersion: adminDisplayVersionOf(rtm),
      exSetupVersion: fileVersionOf(build),
      site: spec.site ?? DEFAULT_SITE,
      online: spec.online ?? true,
      certificates: role === 'Mailbox' ? [...certificates] : [],
      overridesRefreshedAt: null,
    };
  });
}

function usage(message: string): CodedError {
  return new CodedError('USAGE', message);
}
