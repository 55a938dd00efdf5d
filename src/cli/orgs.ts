/** `hybridops orgs list|add|remove`: the orgs file the bot serves (HYBRIDOPS_ORGS), edited and validated. */
import {
  addOrg,
  type GraphCredentialRef,
  type OrgEntry,
  type OrgEntryInput,
  readOrgsFile,
  removeOrg,
} from '../config/orgs-file';
import { CodedError } from '../core/errors';
import type { CliOptions } from './args';
import type { CliIo } from './io';

const list = (value: string | undefined) => (value ?? '').split(/[,;\s]+/).filter(Boolean);

function needs(value: string | undefined, flag: string): string {
  if (!value) throw new CodedError('USAGE', `orgs add needs ${flag}. Run "hybridops help" for usage.`);
  return value;
}

/** The one Graph credential reference the options give; USAGE unless exactly one is given. */
function credentialOf(options: CliOptions): GraphCredentialRef {
  const given: GraphCredentialRef[] = [
    ...(options['graph-certificate-setting']
      ? [{ certificateSetting: options['graph-certificate-setting'] }]
      : []),
    ...(options['graph-certificate-file'] ? [{ certificateFile: options['graph-certificate-file'] }] : []),
    ...(options['graph-secret-setting'] ? [{ clientSecretSetting: options['graph-secret-setting'] }] : []),
    ...(options['graph-managed-identity'] ? [{ managedIdentity: true as const }] : []),
    ...(options['graph-federated-identity']
      ? [{ federatedIdentity: options['graph-federated-identity'] }]
      : []),
  ];
  const [credential] = given;
  if (given.length !== 1 || !credential)
    throw new CodedError(
      'USAGE',
      'orgs add needs exactly one Graph credential: --graph-certificate-setting NAME (an app setting, e.g. a Key Vault reference), --graph-certificate-file PEM, --graph-secret-setting NAME, --graph-managed-identity or --graph-federated-identity GUID.',
    );
  return credential;
}

/** The entry `orgs add` options describe, before the file's validation. */
function entryOf(options: CliOptions): OrgEntryInput {
  return {
    id: needs(options.id, '--id ID'),
    domain: needs(options.domain, '--domain D'),
    dc: needs(options.dc, '--dc FQDN'),
    tenantId: needs(options['tenant-id'], '--tenant-id GUID'),
    ...(options.runbook ? { runbook: options.runbook as OrgEntryInput['runbook'] } : {}),
    ...(options.mailbox ? { testMailbox: options.mailbox } : {}),
    agentId: needs(options.agent, '--agent ID'),
    graph: {
      clientId: needs(options['graph-client-id'], '--graph-client-id ID'),
      credential: credentialOf(options),
    },
    channel: {
      ...(options['channel-tenant-id'] ? { tenantId: options['channel-tenant-id'] } : {}),
      teamId: needs(options.team, '--team ID'),
      channelId: needs(options.channel, '--channel ID'),
    },
    operators: list(options.operators),
    approvers: list(options.approvers),
  };
}

/** How a credential reference reads in `orgs list`: where it is, never a secret. */
function credentialText(ref: GraphCredentialRef): string {
  if ('certificateSetting' in ref) return `certificate in ${ref.certificateSetting}`;
  if ('certificateFile' in ref) return `certificate file ${ref.certificateFile}`;
  if ('clientSecretSetting' in ref) return `client secret in ${ref.clientSecretSetting}`;
  if ('managedIdentity' in ref) return 'managed identity';
  return `federated with ${ref.federatedIdentity}`;
}

function describe(org: OrgEntry): string {
  return [
    `${org.id.padEnd(16)} ${org.domain} (tenant ${org.tenantId}), dc ${org.dc}, runbook ${org.runbook}`,
    `${' '.repeat(17)}agent ${org.agentId}; Graph app ${org.graph.clientId}, ${credentialText(org.graph.credential)}`,
    `${' '.repeat(17)}channel ${org.channel.channelId} in team ${org.channel.teamId}; ${org.operators.length} operator(s), ${org.approvers.length} approver(s)`,
  ].join('\n');
}

/** The orgs file: --file, else HYBRIDOPS_ORGS; USAGE naming `asker` (what needs it) when neither is given. */
export function orgsFileOf(options: CliOptions, env: NodeJS.ProcessEnv, asker: string): string {
  const file = options.file ?? env.HYBRIDOPS_ORGS?.trim();
  if (!file)
    throw new CodedError('USAGE', `${asker} needs the orgs file: --file FILE, or set HYBRIDOPS_ORGS.`);
  return file;
}

/** Runs one `orgs` subcommand; the file is validated whole before anything is written. */
export function runOrgsCommand(sub: string | undefined, options: CliOptions, io: CliIo): number {
  const file = orgsFileOf(options, io.env, 'orgs');
  if (sub === 'list') {
    const orgs = readOrgsFile(file);
    if (options.json) io.out(JSON.stringify(orgs));
    else if (orgs.length === 0) io.out(`No orgs in ${file}. Add one with "orgs add".`);
    else for (const org of orgs) io.out(describe(org));
    return 0;
  }
  if (sub === 'add') {
    const org = addOrg(file, entryOf(options), { replace: options.force ?? false });
    io.out(
      `${options.force ? 'Saved' : 'Added'} org ${org.id} (${org.domain}) in ${file}. Restart the bot to serve it.`,
    );
    return 0;
  }
  if (sub === 'remove') {
    const id = options.id;
    if (!id) throw new CodedError('USAGE', 'orgs remove needs --id ID.');
    removeOrg(file, id);
    io.out(
      `Removed org ${id} from ${file}. Restart the bot: it stops serving and watching it; its history stays in the store.`,
    );
    return 0;
  }
  throw new CodedError('USAGE', `Unknown orgs command "${sub ?? ''}": use list, add or remove.`);
}
