/** The command table: one entry per command; help, parsing and authorization are all generated from it. */
import type { CommandSpec } from './parse';

const both = ['adminChannel', 'personal'] as const;
const channel = ['adminChannel'] as const;
const none: CommandSpec['options'] = [];

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'help',
    usage: 'help',
    summary: 'What I can do, and who may do it.',
    role: 'anyone',
    places: both,
    positionals: [],
    options: none,
  },
  {
    name: 'runbooks',
    usage: 'runbooks',
    summary: 'The procedures I can run.',
    role: 'member',
    places: both,
    positionals: [],
    options: none,
  },
  {
    name: 'plan',
    usage:
      'plan <runbook> domain=<d> dc=<fqdn> [tenant=<guid>] [cloud=<Global|USGovernmentL4|USGovernmentL5>] [appaccount=no] [acknowledge=yes]',
    summary: 'Probe the org and show what a runbook would change, with the exact PowerShell.',
    role: 'operator',
    places: channel,
    positionals: [{ name: 'runbook', required: true }],
    options: [
      { key: 'domain', required: false },
      { key: 'dc', required: false },
      { key: 'tenant', required: false },
      { key: 'cloud', required: false },
      { key: 'appaccount', required: false },
      { key: 'acknowledge', required: false },
    ],
  },
  {
    name: 'status',
    usage: 'status [run]',
    summary: 'Recent runs, or one run step by step.',
    role: 'member',
    places: both,
    positionals: [{ name: 'run', required: false }],
    options: none,
  },
  {
    name: 'history',
    usage: 'history [run] [page=<n>]',
    summary: 'The audit log, latest first: who did what, the exact command, its result and duration.',
    role: 'member',
    places: both,
    positionals: [{ name: 'run', required: false }],
    options: [{ key: 'page', required: false }],
  },
  {
    name: 'agents',
    usage: 'agents',
    summary: 'Relay agents connected from on-premises.',
    role: 'member',
    places: both,
    positionals: [],
    options: none,
  },
  {
    name: 'cancel',
    usage: 'cancel <run|approval>',
    summary: 'Stop a run after its current step, or withdraw a pending approval.',
    role: 'member',
    places: channel,
    positionals: [{ name: 'run', required: true }],
    options: none,
  },
  {
    name: 'verify',
    usage: 'verify [runbook] [domain=<d> dc=<fqdn> tenant=<guid>]',
    summary: 'Check that a runbook’s configuration is in place.',
    role: 'member',
    places: both,
    positionals: [{ name: 'runbook', required: false }],
    options: [
      { key: 'domain', required: false },
      { key: 'dc', required: false },
      { key: 'tenant', required: false },
    ],
  },
  {
    name: 'cert',
    usage: 'cert',
    summary: 'The Exchange auth certificate and the keys uploaded to Entra.',
    role: 'member',
    places: both,
    positionals: [],
    options: none,
  },
  {
    name: 'inspect',
    usage: 'inspect <token>',
    summary: 'Decode an OAuth token and explain its issuer and audience.',
    role: 'member',
    places: both,
    positionals: [{ name: 'token', required: true }],
    options: none,
  },
  {
    name: 'watch',
    usage: 'watch [status|on|off|thresholds <days,…>]',
    summary: 'Scheduled checks of the org that post alerts in the admin channel.',
    role: 'operator',
    places: channel,
    positionals: [
      { name: 'mode', required: false },
      { name: 'days', required: false },
    ],
    options: none,
  },
];

/** The help text, generated from the table. */
export function helpLines(specs: readonly CommandSpec[] = COMMANDS): string[] {
  const who = {
    anyone: 'anyone',
    member: 'operators and approvers',
    operator: 'operators',
    approver: 'approvers',
  } as const;
  return specs.map(
    (spec) =>
      `**${spec.usage}** — ${spec.summary} (${who[spec.role]}${spec.places.includes('personal') ? '' : ', admin channel only'})`,
  );
}
