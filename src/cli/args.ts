/** Command-line parsing with node:util, strict: an unknown option is a usage error, not ignored. */
import { parseArgs } from 'node:util';
import { CodedError } from '../core/errors';

export const USAGE = `Usage: hybridops <command> [options]

Commands:
  runbooks [--json]                                   list the runbooks
  lab init --out FILE [--domain D] [--tenant-id GUID] [--organization-guid GUID] [--cert-days N] [--force]
           [--servers 'EX01:15.2.1544.25,EX02:15.1.2507.55:site=Branch,EDGE01:Edge']
           [--cloud Global|USGovernmentL4|USGovernmentL5] [--no-hybrid-oauth] [--no-shared-key]
           [--dedicated-app] [--rejects-application-account] [--latency-ms N]
                                                      create a simulated org (default: as most are today)
  lab exec --lab FILE 'ONE-EMS-COMMAND'               run one allowlisted command on the simulated org
  plan   --lab FILE --runbook NAME --domain D --dc FQDN [--tenant-id GUID] [--cloud CLOUD]
         [--no-application-account] [--json]
         [--out PLAN.json]                            also save the plan, to apply exactly it later
         [--ps1 PLAN.ps1]                             also write it as a PowerShell script (EMS commands,
                                                      Graph steps as Microsoft Graph PowerShell)
  apply  --lab FILE --runbook NAME --domain D --dc FQDN --yes [--acknowledge-caution] [--json]
                                                      plan and apply in one go
  apply  --lab FILE --plan PLAN.json --yes [--json]   apply a saved plan exactly; if the org changed since,
                                                      nothing runs (exit 1)
  verify --lab FILE --runbook NAME [--domain D] [--dc FQDN] [--tenant-id GUID] [--mailbox ADDRESS] [--json]
                                                      every check, with the command that fixes a failure
         --lab FILE --executor powershell             the same through PowerShell and the HybridOps.Lab module
         --ems local|remote [--connection-uri URI]    a real org instead of --lab: this server's Exchange
                                                      Management Shell, or a remote EMS session (Kerberos);
                                                      Graph from HYBRIDOPS_TENANT_ID, HYBRIDOPS_GRAPH_CLIENT_ID
                                                      and a credential (see README)
         --ems local|remote --org ID [--file FILE]    plan, apply or verify one org of the orgs file as the bot
                                                      does: its domain, DC, tenant, runbook, mailbox and Graph
                                                      credential (an app setting it names is read from this
                                                      environment); journaled as the bot names it, org:<domain>
  inspect-token TOKEN [--tenant-id GUID] [--domain D] [--json]
                                                      decode a captured token (untrusted): issuer app, realm, audience, expiry
  history [--json] [--limit N]                        the audit log
  agents list [--json]                                relay agents: last seen, version, revoked
  agents add --id ID --out KEYFILE [--hub URL] [--force]   register an agent (--force rotates its key)
  agents revoke --id ID                               cut an agent off
  orgs list [--file FILE] [--json]                    the orgs the bot serves (the orgs file, HYBRIDOPS_ORGS)
  orgs add --id ID --domain D --dc FQDN --tenant-id GUID --agent AGENT --team TEAM --channel CHANNEL
           --approvers GUID,… [--operators GUID,…] [--runbook NAME] [--mailbox ADDRESS]
           [--channel-tenant-id GUID] --graph-client-id ID
           --graph-certificate-setting NAME | --graph-certificate-file PEM | --graph-secret-setting NAME
           | --graph-managed-identity | --graph-federated-identity GUID
           [--file FILE] [--force]                    add an org (--force replaces one with the same id)
  orgs remove --id ID [--file FILE]                   stop serving an org (its history stays)

Environment: HYBRIDOPS_DB (journal and audit log, default ~/.hybridops/hybridops.db),
HYBRIDOPS_ACTOR (who is asking, default the login name), HYBRIDOPS_ORGS (the orgs file), LOG_LEVEL.`;

const OPTIONS = {
  lab: { type: 'string' },
  executor: { type: 'string' },
  ems: { type: 'string' },
  org: { type: 'string' },
  'connection-uri': { type: 'string' },
  out: { type: 'string' },
  ps1: { type: 'string' },
  plan: { type: 'string' },
  runbook: { type: 'string' },
  domain: { type: 'string' },
  dc: { type: 'string' },
  'tenant-id': { type: 'string' },
  'cert-days': { type: 'string' },
  'organization-guid': { type: 'string' },
  servers: { type: 'string' },
  cloud: { type: 'string' },
  'latency-ms': { type: 'string' },
  limit: { type: 'string' },
  mailbox: { type: 'string' },
  id: { type: 'string' },
  hub: { type: 'string' },
  file: { type: 'string' },
  agent: { type: 'string' },
  team: { type: 'string' },
  channel: { type: 'string' },
  'channel-tenant-id': { type: 'string' },
  operators: { type: 'string' },
  approvers: { type: 'string' },
  'graph-client-id': { type: 'string' },
  'graph-certificate-setting': { type: 'string' },
  'graph-certificate-file': { type: 'string' },
  'graph-secret-setting': { type: 'string' },
  'graph-managed-identity': { type: 'boolean' },
  'graph-federated-identity': { type: 'string' },
  json: { type: 'boolean' },
  yes: { type: 'boolean' },
  force: { type: 'boolean' },
  'acknowledge-caution': { type: 'boolean' },
  'no-application-account': { type: 'boolean' },
  'no-hybrid-oauth': { type: 'boolean' },
  'no-shared-key': { type: 'boolean' },
  'dedicated-app': { type: 'boolean' },
  'rejects-application-account': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export type CliOptions = ReturnType<typeof parse>['values'];

function parse(argv: string[]) {
  return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
}

/** Parses argv into positionals and options; throws a USAGE error with the offending option. */
export function parseCli(argv: string[]): { positionals: string[]; options: CliOptions } {
  try {
    const { positionals, values } = parse(argv);
    return { positionals, options: values };
  } catch (error) {
    throw new CodedError('USAGE', `${(error as Error).message}. Run "hybridops help" for usage.`);
  }
}

/** The value of a required option, or a USAGE error naming it. */
export function required(options: CliOptions, name: 'lab' | 'out' | 'runbook', fallback?: string): string {
  const value = options[name] ?? fallback;
  if (!value) throw new CodedError('USAGE', `--${name} is required. Run "hybridops help" for usage.`);
  return value;
}

/** A non-negative integer option, or a USAGE error. */
export function integer(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d{1,6}$/.test(value))
    throw new CodedError('USAGE', `--${name} must be a whole number, not "${value}".`);
  return Number(value);
}
