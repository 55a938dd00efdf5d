/** Configuration, read once from the environment and validated, so a bad setting fails at start with a sentence. */
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod/v4';
import { CodedError } from '../core/errors';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const objectIdList = z
  .string()
  .transform((text) =>
    text
      .split(/[,;\s]+/)
      .filter(Boolean)
      .map((id) => id.toLowerCase()),
  )
  .refine((ids) => ids.every((id) => GUID.test(id)), 'a comma-separated list of Entra object ids (GUIDs)');

const configSchema = z.object({
  HYBRIDOPS_DB: z.string().min(1).optional(),
  HYBRIDOPS_ACTOR: z.string().min(1).optional(),
  HYBRIDOPS_RELAY_KEY: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'),
  // The Teams bot's settings: optional here, required by requireBotSettings when the bot starts.
  HYBRIDOPS_TENANT_ID: z.string().trim().toLowerCase().regex(GUID, 'a tenant id (GUID)').optional(),
  HYBRIDOPS_ADMIN_TEAM_ID: z.string().trim().min(1).optional(),
  HYBRIDOPS_ADMIN_CHANNEL_ID: z.string().trim().min(1).optional(),
  HYBRIDOPS_OPERATORS: objectIdList.optional(),
  HYBRIDOPS_APPROVERS: objectIdList.optional(),
  HYBRIDOPS_APPROVAL_MINUTES: z.coerce.number().int().min(1).max(1440).default(30),
  MICROSOFT_APP_ID: z.string().trim().min(1).optional(),
  MICROSOFT_APP_PASSWORD: z.string().min(1).optional(),
  MICROSOFT_APP_TENANT_ID: z.string().trim().min(1).optional(),
  MICROSOFT_APP_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
});

/** Who may use the bot and where, by Entra object id; and the bot's own registration. */
export interface BotSettings {
  readonly tenantId: string;
  readonly adminTeamId: string;
  readonly adminChannelId: string;
  /** Entra object ids of those who may plan and request approval. */
  readonly operators: readonly string[];
  /** Entra object ids of those who may approve. */
  readonly approvers: readonly string[];
  readonly approvalMinutes: number;
  /** Bot registration; absent in the lab, where the Agents Playground needs none. */
  readonly appId: string | null;
  readonly appPassword: string | null;
  readonly appTenantId: string | null;
  readonly appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI' | null;
  readonly port: number;
}

export interface Config {
  /** The store (HYBRIDOPS_DB): a SQLite file, or a `postgres://` URL of a PostgreSQL database. */
  readonly dbPath: string;
  /** Who is asking, as written in the audit log when the CLI is used. */
  readonly actor: string;
  /**
   * The bot's job-signing key (PEM): HYBRIDOPS_RELAY_KEY, else beside a SQLite database. Null when the
   * store is PostgreSQL and HYBRIDOPS_RELAY_KEY is not set: see `requireRelaySigningKey`.
   */
  readonly relaySigningKeyPath: string | null;
  readonly logLevel: string;
  /** The Teams bot's settings, when any were given; `requireBotSettings` checks they are complete. */
  readonly bot: Partial<BotSettings> &
    Pick<BotSettings, 'approvalMinutes' | 'port' | 'operators' | 'approvers'>;
}

/** Parses `env` with `schema`; throws CONFIG_INVALID naming the first variable to fix. */
export function parseEnvironment<T>(schema: z.ZodType<T>, env: NodeJS.ProcessEnv): T {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const variable = String(issue?.path[0] ?? 'environment');
  throw new CodedError('CONFIG_INVALID', `Set ${variable} to a valid value: ${issue?.message ?? 'invalid'}.`);
}

/** True when HYBRIDOPS_DB names a PostgreSQL server rather than a SQLite file. */
export function isPostgresUrl(value: string): boolean {
  return /^postgres(ql)?:\/\//i.test(value.trim());
}

/** The signing key's default: beside a SQLite file; none for PostgreSQL, which has no folder of its own. */
function defaultSigningKeyPath(dbPath: string): string | null {
  if (isPostgresUrl(dbPath)) return null;
  return path.join(path.dirname(path.resolve(dbPath)), 'relay-signing-key.pem');
}

/** Parses the environment into a read-only Config; throws CONFIG_INVALID naming the variable to fix. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const values = parseEnvironment(configSchema, env);
  const dbPath = values.HYBRIDOPS_DB ?? path.join(os.homedir(), '.hybridops', 'hybridops.db');
  return Object.freeze({
    dbPath,
    actor: values.HYBRIDOPS_ACTOR ?? safeUsername(),
    relaySigningKeyPath: values.HYBRIDOPS_RELAY_KEY ?? defaultSigningKeyPath(dbPath),
    logLevel: values.LOG_LEVEL,
    bot: Object.freeze({
      ...(values.HYBRIDOPS_TENANT_ID ? { tenantId: values.HYBRIDOPS_TENANT_ID } : {}),
      ...(values.HYBRIDOPS_ADMIN_TEAM_ID ? { adminTeamId: values.HYBRIDOPS_ADMIN_TEAM_ID } : {}),
      ...(values.HYBRIDOPS_ADMIN_CHANNEL_ID ? { adminChannelId: values.HYBRIDOPS_ADMIN_CHANNEL_ID } : {}),
      operators: values.HYBRIDOPS_OPERATORS ?? [],
      approvers: values.HYBRIDOPS_APPROVERS ?? [],
      approvalMinutes: values.HYBRIDOPS_APPROVAL_MINUTES,
      appId: values.MICROSOFT_APP_ID ?? null,
      appPassword: values.MICROSOFT_APP_PASSWORD ?? null,
      appTenantId: values.MICROSOFT_APP_TENANT_ID ?? null,
      appType: values.MICROSOFT_APP_TYPE ?? null,
      port: values.PORT,
    }),
  });
}

/**
 * Where the relay's signing key is (created there on first use). With HYBRIDOPS_DB on PostgreSQL there is
 * no database folder to keep it beside, and every bot process on that database must sign with the same key
 * its agents pin, so HYBRIDOPS_RELAY_KEY must name it; throws CONFIG_INVALID saying so.
 */
export function requireRelaySigningKey(config: Pick<Config, 'relaySigningKeyPath'>): string {
  if (config.relaySigningKeyPath) return config.relaySigningKeyPath;
  throw new CodedError(
    'CONFIG_INVALID',
    'Set HYBRIDOPS_RELAY_KEY to the path of the relay signing key (PEM): with HYBRIDOPS_DB on PostgreSQL it cannot be kept beside the database, and every bot process must sign with the same key.',
  );
}

/** The bot's settings, complete; throws CONFIG_INVALID naming the first missing variable. */
export function requireBotSettings(config: Config): BotSettings {
  const bot = config.bot;
  const missing: [string, unknown][] = [
    ['HYBRIDOPS_TENANT_ID', bot.tenantId],
    ['HYBRIDOPS_ADMIN_TEAM_ID', bot.adminTeamId],
    ['HYBRIDOPS_ADMIN_CHANNEL_ID', bot.adminChannelId],
  ];
  const absent = missing.find(([, value]) => !value);
  if (absent)
    throw new CodedError(
      'CONFIG_INVALID',
      `Set ${absent[0]}: the bot needs it to know where admins may use it.`,
    );
  if (bot.operators.length === 0)
    throw new CodedError(
      'CONFIG_INVALID',
      'Set HYBRIDOPS_OPERATORS to the Entra object ids of those who may plan.',
    );
  if (bot.approvers.length === 0)
    throw new CodedError(
      'CONFIG_INVALID',
      'Set HYBRIDOPS_APPROVERS to the Entra object ids of those who may approve.',
    );
  if (bot.appId && !bot.appPassword && bot.appType !== 'UserAssignedMSI') {
    throw new CodedError(
      'CONFIG_INVALID',
      'Set MICROSOFT_APP_PASSWORD: MICROSOFT_APP_ID is set without its client secret.',
    );
  }
  return {
    tenantId: bot.tenantId as string,
    adminTeamId: bot.adminTeamId as string,
    adminChannelId: bot.adminChannelId as string,
    operators: bot.operators,
    approvers: bot.approvers,
    approvalMinutes: bot.approvalMinutes,
    appId: bot.appId ?? null,
    appPassword: bot.appPassword ?? null,
    appTenantId: bot.appTenantId ?? null,
    appType: bot.appType ?? null,
    port: bot.port,
  };
}

function safeUsername(): string {
  try {
    return os.userInfo().username;
  } catch {
    // Containers without a passwd entry have no user name; the audit log still needs one.
    return `uid-${process.getuid?.() ?? 'unknown'}`;
  }
}

const productionSchema = z.object({
  HYBRIDOPS_GRAPH_CLIENT_ID: z.string().trim().min(1, 'the Entra app (client) id the bot uses for Graph'),
  HYBRIDOPS_GRAPH_CLIENT_SECRET: z.string().min(1).optional(),
  HYBRIDOPS_GRAPH_CERTIFICATE_FILE: z.string().min(1).optional(),
  HYBRIDOPS_RELAY_AGENT_ID: z
    .string()
    .trim()
    .min(1, 'the id of the relay agent next to Exchange (agents add --id)'),
  HYBRIDOPS_ORG_DOMAIN: z.string().trim().toLowerCase().min(3, 'the verified domain, e.g. contoso.com'),
  HYBRIDOPS_ORG_DC: z
    .string()
    .trim()
    .toLowerCase()
    .min(3, 'the domain controller FQDN, e.g. dc01.contoso.com'),
  HYBRIDOPS_ORG_RUNBOOK: z.enum(['teams', 'sfb-online', 'sfb-online-2019', 'sfb-legacy']).default('teams'),
  HYBRIDOPS_TEST_MAILBOX: z.string().trim().min(3).optional(),
});

/** What the production entry needs beyond the bot settings: Graph credentials, the relay agent, the org. */
export interface ProductionSettings {
  readonly graphClientId: string;
  readonly graphClientSecret: string | null;
  readonly graphCertificateFile: string | null;
  readonly relayAgentId: string;
  readonly orgDomain: string;
  readonly orgDc: string;
  readonly orgRunbook: 'teams' | 'sfb-online' | 'sfb-online-2019' | 'sfb-legacy';
  readonly testMailbox: string | null;
}

/** Parses the production entry's settings; throws CONFIG_INVALID naming the variable to set. */
export function loadProductionSettings(env: NodeJS.ProcessEnv = process.env): ProductionSettings {
  const parsed = productionSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CodedError(
      'CONFIG_INVALID',
      `Set ${String(issue?.path[0] ?? 'environment')}: ${issue?.message ?? 'invalid'}.`,
    );
  }
  const values = parsed.data;
  if (!values.HYBRIDOPS_GRAPH_CLIENT_SECRET && !values.HYBRIDOPS_GRAPH_CERTIFICATE_FILE) {
    throw new CodedError(
      'CONFIG_INVALID',
      'Set HYBRIDOPS_GRAPH_CERTIFICATE_FILE (preferred) or HYBRIDOPS_GRAPH_CLIENT_SECRET for Graph.',
    );
  }
  return {
    graphClientId: values.HYBRIDOPS_GRAPH_CLIENT_ID,
    graphClientSecret: values.HYBRIDOPS_GRAPH_CLIENT_SECRET ?? null,
    graphCertificateFile: values.HYBRIDOPS_GRAPH_CERTIFICATE_FILE ?? null,
    relayAgentId: values.HYBRIDOPS_RELAY_AGENT_ID,
    orgDomain: values.HYBRIDOPS_ORG_DOMAIN,
    orgDc: values.HYBRIDOPS_ORG_DC,
    orgRunbook: values.HYBRIDOPS_ORG_RUNBOOK,
    testMailbox: values.HYBRIDOPS_TEST_MAILBOX ?? null,
  };
}
