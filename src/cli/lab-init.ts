/** `lab init`: a new lab org file, by default as most orgs are today (hybrid OAuth, the key on the shared principal). */

import path from 'node:path';
import { CodedError } from '../core/errors';
import type { Clock } from '../core/ports';
import { type CreateLabStateOptions, createLabState } from '../lab/init';
import { createLabFile } from '../lab/lab-file';
import { refuseLockedLabFile } from '../lab/lab-lock';
import { parseServerList } from '../lab/servers';
import type { LabState } from '../lab/state';
import { CLOUDS, type Cloud } from '../lab/state-tenant';
import { validateInputValues } from '../runbooks';
import { type CliOptions, integer, required } from './args';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The createLabState options `lab init`'s command line asks for. */
export function labInitOptions(options: CliOptions, now: Date): CreateLabStateOptions {
  const hybridOAuth = !options['no-hybrid-oauth'];
  const guid = options['organization-guid'];
  if (guid !== undefined && !GUID.test(guid)) {
    throw new CodedError('USAGE', `--organization-guid must be a GUID, not "${guid}".`);
  }
  if (!hybridOAuth && options['dedicated-app']) {
    throw new CodedError('USAGE', '--dedicated-app needs hybrid OAuth: drop --no-hybrid-oauth.');
  }
  // The org's names by the runbooks' own rules: a lab org is one the runbooks must be able to target.
  const { domain, tenantId } = validateInputValues({
    ...(options.domain === undefined ? {} : { domain: options.domain }),
    ...(options['tenant-id'] === undefined ? {} : { tenantId: options['tenant-id'] }),
  });
  return {
    ...(domain ? { domain } : {}),
    ...(tenantId ? { tenantId } : {}),
    ...(guid ? { organizationGuid: guid } : {}),
    ...(options.servers === undefined ? {} : { servers: parseServerList(options.servers) }),
    cloud: cloudOption(options.cloud),
    certDays: integer(options['cert-days'], 'cert-days', 1825),
    latencyMs: integer(options['latency-ms'], 'latency-ms', 0),
    hybridOAuth,
    // As the Hybrid Configuration Wizard leaves an org: the auth certificate's key on the shared principal.
    sharedPrincipalKey: hybridOAuth && !options['no-shared-key'],
    dedicatedApp: Boolean(options['dedicated-app']),
    rejectsApplicationAccount: Boolean(options['rejects-application-account']),
    now,
  };
}

function cloudOption(value: string | undefined): Cloud {
  if (value === undefined) return 'Global';
  const cloud = CLOUDS.find((known) => known.toLowerCase() === value.toLowerCase());
  if (!cloud) throw new CodedError('USAGE', `--cloud must be one of ${CLOUDS.join(', ')}, not "${value}".`);
  return cloud;
}

/** Writes a new lab file and says what is in it. */
export async function labInit(
  options: CliOptions,
  io: { out: (text: string) => void; clock: Clock },
): Promise<number> {
  const out = required(options, 'out');
  const state = await createLabState(labInitOptions(options, io.clock.now()));
  if (options.force) refuseLockedLabFile(out);
  createLabFile(out, state, { overwrite: Boolean(options.force) });
  const summary = summarize(path.resolve(out), state);
  io.out(options.json ? JSON.stringify(summary) : describe(summary));
  return 0;
}

function summarize(file: string, state: LabState) {
  const shared = state.tenant.servicePrincipals.find((sp) => sp.appId === state.org.authConfig.serviceName);
  return {
    file,
    domain: state.org.domain,
    tenantId: state.tenant.tenantId,
    cloud: state.tenant.cloud,
    organizationGuid: state.org.organizationGuid,
    domainController: state.org.domainControllers[0],
    authCertificate: state.org.authConfig.currentCertificateThumbprint,
    servers: state.org.servers.map((server) => ({
      name: server.name,
      role: server.role,
      exSetupVersion: server.exSetupVersion,
      site: server.site,
    })),
    hybridOAuth: state.org.authServers.length > 0,
    sharedPrincipalKey: (shared?.keyCredentials.length ?? 0) > 0,
    dedicatedApp: state.tenant.applications[0]?.displayName ?? null,
  };
}

function describe(summary: ReturnType<typeof summarize>): string {
  const servers = summary.servers
    .map((s) => `${s.name} (${s.role}, ${s.exSetupVersion}, ${s.site})`)
    .join(', ');
  const entra = [
    summary.sharedPrincipalKey
      ? 'auth certificate key on the shared Exchange Online principal'
      : 'no key on the shared principal',
    summary.dedicatedApp
      ? `dedicated hybrid application ${summary.dedicatedApp}`
      : 'no dedicated hybrid application',
  ].join('; ');
  return [
    `Created lab org ${summary.domain} (tenant ${summary.tenantId}) in ${summary.file}`,
    `Domain controller: ${summary.domainController}`,
    `Auth certificate: ${summary.authCertificate}`,
    `Servers: ${servers}`,
    `Hybrid OAuth: ${summary.hybridOAuth ? 'configured' : 'not configured'}; ${entra}`,
  ].join('\n');
}
