/** What every cmdlet handler works with: the org, the time, its parameters and the directory lookups. */
import type { CmdletName, ParamValue } from '../../core/ems';
import type { AdUser, LabState, MailUser } from '../state';
import { invalidArgument, missingMandatoryParameter, objectNotFound } from './errors';
import { canonicalIdentity, sameName } from './names';

/** An output object of a cmdlet, with Exchange's property names. */
export type OutputObject = Record<string, unknown>;

/** Runs one cmdlet against the context; throws CmdletError for Exchange errors. */
export type CmdletHandler = (ctx: CmdletContext) => Promise<OutputObject[]> | OutputObject[];

export interface CmdletContext {
  readonly cmdlet: CmdletName;
  readonly state: LabState;
  readonly now: Date;
  readonly params: Params;
  /** The domain controller the command talks to: -DomainController, else the org's first DC. */
  readonly dc: string;
  newGuid(): string;
}

/** Typed, case-insensitive access to a command's parameters (PowerShell binds names case-insensitively). */
export class Params {
  private readonly byLowerName = new Map<string, ParamValue>();

  constructor(
    private readonly cmdlet: CmdletName,
    raw: Readonly<Record<string, ParamValue>>,
  ) {
    for (const [name, value] of Object.entries(raw)) this.byLowerName.set(name.toLowerCase(), value);
  }

  /** Whether the parameter was given at all. */
  has(name: string): boolean {
    return this.byLowerName.has(name.toLowerCase());
  }

  /** A string parameter, or undefined when absent. */
  string(name: string): string | undefined {
    const value = this.byLowerName.get(name.toLowerCase());
    if (value === undefined) return undefined;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return value.join(',');
  }

  /** A mandatory string parameter; absent means PowerShell's missing-parameter error. */
  requireString(name: string): string {
    const value = this.string(name);
    if (value === undefined) throw missingMandatoryParameter(this.cmdlet, name);
    return value;
  }

  /** A `$true`/`$false` parameter, or undefined when absent. */
  bool(name: string): boolean | undefined {
    const value = this.byLowerName.get(name.toLowerCase());
    if (value === undefined) return undefined;
    if (typeof value === 'boolean') return value;
    const text = String(value).toLowerCase().replace(/^\$/, '');
    if (text === 'true' || text === '1') return true;
    if (text === 'false' || text === '0') return false;
    throw invalidArgument(this.cmdlet, `Cannot convert value "${String(value)}" to type "System.Boolean".`);
  }

  /** A switch: present and not explicitly `$false`. */
  switch(name: string): boolean {
    return this.bool(name) ?? false;
  }

  /** A multi-valued parameter; a single string counts as one value. */
  strings(name: string): string[] | undefined {
    const value = this.byLowerName.get(name.toLowerCase());
    if (value === undefined) return undefined;
    if (Array.isArray(value)) return [...(value as readonly string[])];
    return [String(value)];
  }

  /** A date parameter (ISO-8601 on the wire). */
  date(name: string): Date | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    const date = new Date(text);
    if (Number.isNaN(date.getTime())) {
      throw invalidArgument(this.cmdlet, `Cannot convert value "${text}" to type "System.DateTime".`);
    }
    return date;
  }
}

/** A mail user's primary SMTP address, as the default email address policy makes it. */
export function primarySmtpAddress(user: MailUser, domain: string): string {
  return `${user.alias}@${domain}`;
}

/** Whether an identity names this mail user: name, alias, canonical identity, DN, GUID or an SMTP address. */
function identifiesMailUser(identity: string, user: MailUser, domain: string): boolean {
  const candidates = [
    user.name,
    user.alias,
    canonicalIdentity(user.name, domain),
    user.distinguishedName,
    user.guid,
    primarySmtpAddress(user, domain),
    user.externalEmailAddress,
    `smtp:${user.externalEmailAddress}`,
  ];
  return candidates.some((candidate) => sameName(candidate, identity));
}

function identifiesAdUser(identity: string, user: AdUser, domain: string): boolean {
  const candidates = [user.name, canonicalIdentity(user.name, domain), user.distinguishedName, user.guid];
  return candidates.some((candidate) => sameName(candidate, identity));
}

/** The mail user an identity names, if any. */
export function findMailUser(ctx: CmdletContext, identity: string): MailUser | undefined {
  return ctx.state.org.mailUsers.find((user) => identifiesMailUser(identity, user, ctx.state.org.domain));
}

/** The mail user an identity names; otherwise Exchange's not-found error. */
export function requireMailUser(ctx: CmdletContext, identity: string): MailUser {
  const user = findMailUser(ctx, identity);
  if (!user) throw objectNotFound(ctx.cmdlet, identity, ctx.dc);
  return user;
}

/** Any user (mail user or plain directory user) an identity names; -User, -LinkedAccount and -RoleAssignee take these. */
export function requireAnyUser(ctx: CmdletContext, identity: string): { readonly name: string } {
  const mailUser = findMailUser(ctx, identity);
  if (mailUser) return mailUser;
  const adUser = ctx.state.org.users.find((user) => identifiesAdUser(identity, user, ctx.state.org.domain));
  if (adUser) return adUser;
  throw objectNotFound(ctx.cmdlet, identity, ctx.dc);
}

/** Whether a user with this name still exists, so links to deleted users read as empty (as AD cleans them up). */
export function userExists(state: LabState, name: string): boolean {
  return (
    state.org.mailUsers.some((user) => sameName(user.name, name)) ||
    state.org.users.some((user) => sameName(user.name, name))
  );
}
