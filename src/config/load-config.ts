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

/** The settings that are set: an empty one is an unset one (App Service's templates give every setting, some empty). */
export function givenSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
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

/**
 * On App Service (WEBSITE_INSTANCE_ID is set) /home is a network share, where SQLite's write-ahead log
 * does not work and every instance would open the same file: throws CONFIG_INVALID for a SQLite file there.
 */
function refuseSqliteOnAppServiceShare(dbPath: string, env: NodeJS.ProcessEnv): void {
  if (!env.WEBSITE_INSTANCE_ID || isPostgresUrl(dbPath) || dbPath === ':memory:') return;
  const file = path.posix.resolve(dbPath);
  if (file === '/home' || file.startsWith('/home/')) {
    throw new CodedError(
      'CONFIG_INVALID',
      `Set HYBRIDOPS_DB to a postgres:// URL: ${file} is a SQLite file on App Service's network share /home, where SQLite's write-ahead log does not work.`,
    );
  }
}

/** Parses the environment into a read-only Config; throws CONFIG_INVALID naming the variable to fix. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const given = givenSettings(env);
  const values = parseEnvironment(configSchema, given);
  const dbPath = values.HYBRIDOPS_DB ?? path.join(os.homedir(), '.hybridops', 'hybridops.db');
  refuseSqliteOnAppServiceShare(dbPath, given);
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

/** The bot's own registration and limits, without who may use it where (an orgs file gives that per org). */
export type BotRegistration = Omit<
  BotSettings,
  'tenantId' | 'adminTeamId' | 'adminChannelId' | 'operators' | 'approvers'
>;

/** The bot's registration, complete; throws CONFIG_INVALID when the app id comes without its secret. */
export function requireBotRegistration(config: Config): BotRegistration {
  const bot = config.bot;
  if (bot.appId && !bot.appPassword && bot.appType !== 'UserAssignedMSI') {
    throw new CodedError(
      'CONFIG_INVALID',
      'Set MICROSOFT_APP_PASSWORD: MICROSOFT_APP_ID is set without its client secret.',
    );
  }
  return {
    approvalMinutes: bot.approvalMinutes,
    appId: bot.appId ?? null,
    appPassword: bot.appPassword ?? null,
    appTenantId: bot.appTenantId ?? null,
    appType: bot.appType ?? null,
    port: bot.port,
  };
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
  return {
    ...requireBotRegistration(config),
    tenantId: bot.tenantId as string,
    adminTeamId: bot.adminTeamId as string,
    adminChannelId: bot.adminChannelId as string,
    operators: bot.operators,
    approvers: bot.approvers,
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
