/**
 * The orgs file (HYBRIDOPS_ORGS): every org one bot serves, each with its domain, domain controller, tenant, Graph
 * credential reference, relay agent, admin channel, operators and approvers. Validated as a whole when read,
 * so a bad entry stops the start with a sentence naming the org and the field.
 */
import fs from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod/v4';
import { CodedError } from '../core/errors';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const guid = (what: string) => z.string().trim().toLowerCase().regex(GUID, `${what} (a GUID)`);
const SETTING = /^[A-Za-z_][A-Za-z0-9_]*$/;
const settingName = z.string().regex(SETTING, 'the name of an app setting, e.g. GRAPH_CERT_CONTOSO');

/**
 * Where the org's Graph credential is, never the secret itself: the name of an app setting that holds it (on
 * App Service, a Key Vault reference), a PEM file, the bot's managed identity, or an app trusting it.
 */
const graphCredentialSchema = z.union([
  z.object({ certificateSetting: settingName }).strict(),
  z.object({ certificateFile: z.string().min(1) }).strict(),
  z.object({ clientSecretSetting: settingName }).strict(),
  z.object({ managedIdentity: z.literal(true) }).strict(),
  z
    .object({ federatedIdentity: guid('the client id of the managed identity the Graph app trusts') })
    .strict(),
]);

const orgSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'a short id: lower-case letters, digits and hyphens, e.g. contoso'),
    domain: z.string().trim().toLowerCase().min(3, 'the verified domain, e.g. contoso.com'),
    dc: z.string().trim().toLowerCase().min(3, 'the domain controller FQDN, e.g. dc01.contoso.com'),
    tenantId: guid("the org's Microsoft 365 tenant id"),
    runbook: z.enum(['teams', 'sfb-online', 'sfb-online-2019', 'sfb-legacy']).default('teams'),
    testMailbox: z.string().trim().min(3).optional(),
    agentId: z.string().trim().min(1, 'the id of the relay agent next to its Exchange (agents add --id)'),
    graph: z
      .object({
        clientId: z.string().trim().min(1, 'the client id the bot uses for Graph in this tenant'),
        credential: graphCredentialSchema,
      })
      .strict(),
    channel: z
      .object({
        tenantId: guid('the tenant whose Teams holds the admin channel').optional(),
        teamId: z.string().trim().min(1, 'the admin team id'),
        channelId: z.string().trim().min(1, 'the admin channel id'),
      })
      .strict(),
    operators: z.array(guid('an Entra object id')).default([]),
    approvers: z.array(guid('an Entra object id')).min(1, 'at least one approver'),
  })
  .strict();

const fileSchema = z.object({ orgs: z.array(orgSchema) }).strict();

export type GraphCredentialRef = z.infer<typeof graphCredentialSchema>;
export type OrgEntryInput = z.input<typeof orgSchema>;

/** One org the bot serves, as the orgs file gives it (the admin channel's tenant filled in). */
export interface OrgEntry extends Omit<z.infer<typeof orgSchema>, 'channel'> {
  readonly channel: { readonly tenantId: string; readonly teamId: string; readonly channelId: string };
}

/** How the journal and the audit log name a real org, for the bot and the CLI alike: `org:<domain>`. */
export function orgTarget(domain: string): string {
  return `org:${domain.toLowerCase()}`;
}

/** The first pair of entries that may not share `key`, as "org a and org b". */
function clash(orgs: readonly OrgEntry[], what: string, key: (org: OrgEntry) => string): string | null {
  const seen = new Map<string, string>();
  for (const org of orgs) {
    const value = key(org);
    const first = seen.get(value);
    if (first) return `orgs "${first}" and "${org.id}" have the same ${what}`;
    seen.set(value, org.id);
  }
  return null;
}

/** The orgs of a parsed file; throws CONFIG_INVALID naming the org and field to fix. */
export function parseOrgs(json: unknown, source: string): readonly OrgEntry[] {
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const [, index, ...field] = issue?.path ?? [];
    const entries = (json as { orgs?: { id?: unknown }[] } | null)?.orgs;
    const name = typeof index === 'number' ? (entries?.[index]?.id ?? `#${index + 1}`) : null;
    const where = name === null ? '' : ` org "${String(name)}"${field.length ? `, ${field.join('.')}` : ''}:`;
    throw new CodedError('CONFIG_INVALID', `Fix ${source}:${where} ${issue?.message ?? 'invalid'}.`);
  }
  const orgs = parsed.data.orgs.map((org) => ({
    ...org,
    channel: { ...org.channel, tenantId: org.channel.tenantId ?? org.tenantId },
  }));
  const problem =
    clash(orgs, 'id', (org) => org.id) ??
    clash(orgs, 'domain', (org) => org.domain) ??
    clash(orgs, 'relay agent', (org) => org.agentId) ??
    clash(orgs, 'admin channel', (org) => `${org.channel.teamId} ${org.channel.channelId}`);
  if (problem) throw new CodedError('CONFIG_INVALID', `Fix ${source}: ${problem}.`);
  return orgs;
}

/** Reads and validates the orgs file; a missing file is an empty list, unreadable JSON a sentence. */
export function readOrgsFile(file: string): readonly OrgEntry[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new CodedError('CONFIG_INVALID', `Cannot read the orgs file ${file}: ${(error as Error).message}.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CodedError('CONFIG_INVALID', `Fix ${file}: it is not JSON (${(error as Error).message}).`);
  }
  return parseOrgs(json, file);
}

/** The orgs file the bot must serve: at least one org, else CONFIG_INVALID. */
export function requireOrgsFile(file: string): readonly OrgEntry[] {
  const orgs = readOrgsFile(file);
  if (orgs.length === 0)
    throw new CodedError(
      'CONFIG_INVALID',
      `Add an org to ${file} (hybridops orgs add …): HYBRIDOPS_ORGS names it, and the bot serves no org without one.`,
    );
  return orgs;
}

/** The file's text for `orgs`, as written: the admin channel's tenant only where it differs from the org's. */
function render(orgs: readonly OrgEntry[]): string {
  const entries = orgs.map(({ channel, ...org }) => ({
    ...org,
    channel:
      channel.tenantId === org.tenantId ? { teamId: channel.teamId, channelId: channel.channelId } : channel,
  }));
  return `${JSON.stringify({ orgs: entries }, null, 2)}\n`;
}

/** Adds (or, with `replace`, replaces) one org; the whole file is validated before it is written atomically. */
export function addOrg(file: string, entry: OrgEntryInput, options: { replace?: boolean } = {}): OrgEntry {
  const current = readOrgsFile(file);
  const exists = current.some((org) => org.id === entry.id);
  if (exists && !options.replace)
    throw new CodedError(
      'CONFIG_INVALID',
      `Org "${entry.id}" is already in ${file}; add --force to replace it.`,
    );
  const next = parseOrgs({ orgs: [...current.filter((org) => org.id !== entry.id), entry] }, file);
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileAtomic.sync(file, render(next));
  return next.find((org) => org.id === entry.id) as OrgEntry;
}

/** Removes one org from the file; an unknown id is a sentence and nothing is written. */
export function removeOrg(file: string, id: string): void {
  const current = readOrgsFile(file);
  if (!current.some((org) => org.id === id))
    throw new CodedError('CONFIG_INVALID', `No org "${id}" in ${file}. Nothing was removed.`);
  writeFileAtomic.sync(file, render(current.filter((org) => org.id !== id)));
}
