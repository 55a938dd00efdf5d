/** New-MailUser, Get-MailUser, Set-MailUser. */
import { isoSeconds } from '../../core/time';
import type { MailUser } from '../state';
import {
  type CmdletContext,
  type CmdletHandler,
  findMailUser,
  primarySmtpAddress,
  requireMailUser,
} from './context';
import { invalidArgument, nameInUse, parameterNotFound, proxyAddressInUse } from './errors';
import {
  aliasFromName,
  canonicalIdentity,
  distinguishedName,
  hasWildcard,
  sameName,
  wildcardMatch,
} from './names';
import { mailUserOutput } from './shapes';

/** Strips a `SMTP:` prefix and checks the address looks like one. */
function externalAddress(ctx: CmdletContext, raw: string): string {
  const address = raw.replace(/^smtp:/i, '');
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(address)) {
    throw invalidArgument(ctx.cmdlet, `"${raw}" isn't a valid SMTP address.`);
  }
  return address;
}

function nameTaken(ctx: CmdletContext, name: string): boolean {
  const org = ctx.state.org;
  return org.mailUsers.some((u) => sameName(u.name, name)) || org.users.some((u) => sameName(u.name, name));
}

function smtpOwner(ctx: CmdletContext, address: string): MailUser | undefined {
  return ctx.state.org.mailUsers.find((u) => sameName(primarySmtpAddress(u, ctx.state.org.domain), address));
}

/** Exchange makes a derived alias unique by appending a number; a given alias must already be unique. */
function chooseAlias(ctx: CmdletContext, name: string): string {
  const domain = ctx.state.org.domain;
  const given = ctx.params.string('Alias');
  if (given !== undefined) {
    const owner = smtpOwner(ctx, `${given}@${domain}`);
    if (owner)
      throw proxyAddressInUse(ctx.cmdlet, `${given}@${domain}`, canonicalIdentity(owner.name, domain));
    return given;
  }
  const base = aliasFromName(name) || 'MailUser';
  let alias = base;
  for (let n = 2; smtpOwner(ctx, `${alias}@${domain}`); n++) alias = `${base}${n}`;
  return alias;
}

/** New-MailUser: creates a mail user in the Users container. */
export const newMailUser: CmdletHandler = (ctx) => {
  const org = ctx.state.org;
  // Builds before the switch existed bind parameters first, so this fails before anything else is checked.
  if (ctx.params.has('ApplicationAccount') && org.exchange.rejectsApplicationAccount) {
    throw parameterNotFound(ctx.cmdlet, 'ApplicationAccount');
  }
  const name = ctx.params.requireString('Name');
  const external = externalAddress(ctx, ctx.params.requireString('ExternalEmailAddress'));
  if (nameTaken(ctx, name)) throw nameInUse(ctx.cmdlet, name);
  const alias = chooseAlias(ctx, name);

  const user: MailUser = {
    name,
    alias,
    guid: ctx.newGuid(),
    distinguishedName: distinguishedName(name, org.domain),
    externalEmailAddress: external,
    applicationAccount: ctx.params.switch('ApplicationAccount'),
    hiddenFromAddressListsEnabled: false,
    whenCreated: isoSeconds(ctx.now),
  };
  org.mailUsers.push(user);
  return [mailUserOutput(user, org.domain)];
};

/** Get-MailUser: one user by identity (not found is an error), or all of them. */
export const getMailUser: CmdletHandler = (ctx) => {
  const org = ctx.state.org;
  const identity = ctx.params.string('Identity');
  if (identity === undefined) return org.mailUsers.map((u) => mailUserOutput(u, org.domain));
  if (hasWildcard(identity)) {
    return org.mailUsers
      .filter((u) => wildcardMatch(identity, u.name))
      .map((u) => mailUserOutput(u, org.domain));
  }
  return [mailUserOutput(requireMailUser(ctx, identity), org.domain)];
};

/** Set-MailUser: changes address-list visibility, external address, alias or name. */
export const setMailUser: CmdletHandler = (ctx) => {
  const org = ctx.state.org;
  const user = requireMailUser(ctx, ctx.params.requireString('Identity'));
  // Validate every change before applying any, so a failed Set leaves the object untouched.
  const hidden = ctx.params.bool('HiddenFromAddressListsEnabled');
  const rawExternal = ctx.params.string('ExternalEmailAddress');
  const external = rawExternal === undefined ? undefined : externalAddress(ctx, rawExternal);
  const newName = ctx.params.string('Name');
  if (newName !== undefined && !sameName(newName, user.name) && nameTaken(ctx, newName)) {
    throw nameInUse(ctx.cmdlet, newName);
  }
  const newAlias = ctx.params.string('Alias');
  if (newAlias !== undefined) {
    const owner = findMailUser(ctx, `${newAlias}@${org.domain}`);
    if (owner && owner !== user) {
      throw proxyAddressInUse(
        ctx.cmdlet,
        `${newAlias}@${org.domain}`,
        canonicalIdentity(owner.name, org.domain),
      );
    }
  }

  if (hidden !== undefined) user.hiddenFromAddressListsEnabled = hidden;
  if (external !== undefined) user.externalEmailAddress = external;
  if (newAlias !== undefined) user.alias = newAlias;
  if (newName !== undefined) {
    // AD links by object, not by name: references follow a rename.
    for (const a of org.roleAssignments) if (sameName(a.user, user.name)) a.user = newName;
    for (const app of org.partnerApplications) {
      if (app.linkedAccount !== null && sameName(app.linkedAccount, user.name)) app.linkedAccount = newName;
    }
    user.name = newName;
    user.distinguishedName = distinguishedName(newName, org.domain);
  }
  // Set-* cmdlets write nothing to the pipeline.
  return [];
};
