/**
 * `--org ID` with `--ems local|remote`: one org of the orgs file (`--file FILE`, else HYBRIDOPS_ORGS), acted on as
 * the bot acts on it: its domain, DC, tenant, runbook and verify mailbox, its Graph credential resolved as the
 * bot resolves it, and the journal's and audit log's name for it.
 */
import fs from 'node:fs';
import { type OrgEntry, orgTarget, readOrgsFile } from '../config/orgs-file';
import { orgsFileCloud, productionOrgOf } from '../config/production-orgs';
import { CodedError } from '../core/errors';
import type { Clock } from '../core/ports';
import { createGraphClient } from '../graph/graph-client';
import { graphClientOptions, orgSignIn } from '../graph/graph-credential';
import { MsGraphPort } from '../graph/graph-port';
import type { CliOptions } from './args';
import type { EnvironmentGraph } from './graph-from-env';
import { orgsFileOf } from './orgs';

/** What an orgs-file entry gives the CLI by default; the command line may repeat it, never contradict it. */
export type OrgDefaults = Pick<OrgEntry, 'id' | 'domain' | 'dc' | 'tenantId' | 'runbook' | 'testMailbox'>;

/** The org `--org` names, its Graph and its target; refuses before anything is opened. */
export interface FileOrg {
  readonly entry: OrgDefaults;
  /** The app setting that holds the org's Graph credential, if it is kept in one (kept from the shell). */
  readonly credentialSetting: string | null;
  readonly graph: Omit<EnvironmentGraph, 'credentialKind'>;
  readonly target: string;
}

/** The options that name the orgs file and one org of it: USAGE when they are given without a real org. */
export function refuseOrgWithoutEms(options: CliOptions): void {
  if (options.org !== undefined && options.lab !== undefined)
    throw new CodedError(
      'USAGE',
      '--org and --lab name different orgs: give --org ID with --ems local|remote, or --lab FILE.',
    );
  if (options.org !== undefined && options.ems === undefined)
    throw new CodedError('USAGE', '--org ID acts on a real org: add --ems local or --ems remote.');
  if (options.file !== undefined && options.org === undefined)
    throw new CodedError('USAGE', '--file names the orgs file for --org ID: add --org, or leave --file out.');
}

/** The entry `id` names in the orgs file; USAGE when there is no file, CONFIG_INVALID for an unknown id. */
function entryOf(id: string, options: CliOptions, env: NodeJS.ProcessEnv): OrgEntry {
  const file = orgsFileOf(options, env, '--org');
  if (!fs.existsSync(file))
    throw new CodedError(
      'CONFIG_INVALID',
      `There is no orgs file at ${file}: add the org with "hybridops orgs add", or name the file with --file.`,
    );
  const orgs = readOrgsFile(file);
  const entry = orgs.find((org) => org.id === id);
  if (entry) return entry;
  const ids = orgs.map((org) => org.id);
  throw new CodedError(
    'CONFIG_INVALID',
    `No org "${id}" in ${file}; ${ids.length ? `its orgs are ${ids.join(', ')}` : 'it has none yet'}.`,
  );
}

/** Refuses a --domain, --dc or --tenant-id that names something other than the org's own. */
function refuseContradiction(options: CliOptions, entry: OrgEntry): void {
  const given: [string, string, string | undefined, string][] = [
    ['--domain', 'domain', options.domain, entry.domain],
    ['--dc', 'DC', options.dc, entry.dc],
    ['--tenant-id', 'tenant', options['tenant-id'], entry.tenantId],
  ];
  for (const [flag, what, value, own] of given) {
    if (value !== undefined && value.trim().toLowerCase() !== own)
      throw new CodedError(
        'USAGE',
        `${flag} ${value} contradicts --org ${entry.id}, whose ${what} is ${own}: leave ${flag} out.`,
      );
  }
}

/** Opens the org `--org` names: checked against the command line, with its Graph credential resolved. */
export function openFileOrg(options: CliOptions, env: NodeJS.ProcessEnv, clock: Clock): FileOrg {
  const entry = entryOf(options.org as string, options, env);
  refuseContradiction(options, entry);
  const org = productionOrgOf(entry, env);
  const connection = createGraphClient(graphClientOptions(orgSignIn(org, orgsFileCloud(env))));
  const { credential } = entry.graph;
  return {
    entry,
    credentialSetting:
      'certificateSetting' in credential
        ? credential.certificateSetting
        : 'clientSecretSetting' in credential
          ? credential.clientSecretSetting
          : null,
    graph: {
      graph: new MsGraphPort({ client: connection.client, clock }),
      tenantId: entry.tenantId,
      close: () => connection.close(),
    },
    target: orgTarget(entry.domain),
  };
}
