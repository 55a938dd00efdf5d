/** Management roles, role entries and role assignments. */
import type { ManagementRole, RoleAssignment } from '../state';
import { type CmdletContext, type CmdletHandler, requireAnyUser } from './context';
import {
  builtInRoleEntry,
  duplicateRoleAssignment,
  invalidArgument,
  nameInUse,
  objectNotFound,
} from './errors';
import { hasWildcard, sameName, wildcardMatch } from './names';
import { roleAssignmentOutput, roleEntryOutput, roleOutput } from './shapes';

// Exchange truncates generated role assignment names to the attribute's 64-character limit.
const MAX_ASSIGNMENT_NAME = 64;

function findRole(ctx: CmdletContext, name: string): ManagementRole | undefined {
  return ctx.state.org.managementRoles.find((role) => sameName(role.name, name));
}

function requireRole(ctx: CmdletContext, name: string): ManagementRole {
  const role = findRole(ctx, name);
  if (!role) throw objectNotFound(ctx.cmdlet, name, ctx.dc);
  return role;
}

/** The role of an entry identity; not finding it reports the whole entry identity, as the entry is what was asked for. */
function requireRoleOf(ctx: CmdletContext, roleName: string, entryIdentity: string): ManagementRole {
  const role = findRole(ctx, roleName);
  if (!role) throw objectNotFound(ctx.cmdlet, entryIdentity, ctx.dc);
  return role;
}

/** Splits `Role\Entry`; an identity without a backslash names the entry on any role, as Exchange reads it. */
function splitEntryIdentity(ctx: CmdletContext, identity: string): { role: string; entry: string } {
  const at = identity.lastIndexOf('\\');
  if (at < 0) return { role: '*', entry: identity };
  const role = identity.slice(0, at);
  const entry = identity.slice(at + 1);
  if (role === '' || entry === '') {
    throw invalidArgument(
      ctx.cmdlet,
      `The format of the value you specified in the Microsoft.Exchange.Configuration.Tasks.RoleEntryIdParameter parameter isn't valid. Check the value, and then try again.`,
    );
  }
  return { role, entry };
}

/** New-ManagementRole: a custom role copying all of its parent's entries. */
export const newManagementRole: CmdletHandler = (ctx) => {
  const roles = ctx.state.org.managementRoles;
  const name = ctx.params.requireString('Name');
  const parentName = ctx.params.requireString('Parent');
  const parent = requireRole(ctx, parentName);
  if (findRole(ctx, name)) throw nameInUse(ctx.cmdlet, name);
  // A new role starts as a copy of all its parent's entries; trimming them is the admin's next step.
  const role: ManagementRole = { name, parent: parent.name, builtIn: false, entries: [...parent.entries] };
  roles.push(role);
  return [roleOutput(role, roles)];
};

/** Get-ManagementRole: one role, a wildcard match, or all roles. */
export const getManagementRole: CmdletHandler = (ctx) => {
  const roles = ctx.state.org.managementRoles;
  const identity = ctx.params.string('Identity');
  if (identity === undefined) return roles.map((role) => roleOutput(role, roles));
  if (hasWildcard(identity)) {
    return roles.filter((role) => wildcardMatch(identity, role.name)).map((role) => roleOutput(role, roles));
  }
  return [roleOutput(requireRole(ctx, identity), roles)];
};

/** Get-ManagementRoleEntry: entries matching `Role\Entry`, either part may use `*`. */
export const getManagementRoleEntry: CmdletHandler = (ctx) => {
  const identity = ctx.params.requireString('Identity');
  const { role: rolePattern, entry: entryPattern } = splitEntryIdentity(ctx, identity);
  const roles = hasWildcard(rolePattern)
    ? ctx.state.org.managementRoles.filter((role) => wildcardMatch(rolePattern, role.name))
    : [requireRoleOf(ctx, rolePattern, identity)];
  const output = roles.flatMap((role) =>
    role.entries
      .filter((entry) => wildcardMatch(entryPattern, entry))
      .map((entry) => roleEntryOutput(role, entry)),
  );
  // Only an exact identity is an error when it matches nothing; a wildcard may legitimately match nothing.
  if (output.length === 0 && !hasWildcard(identity)) throw objectNotFound(ctx.cmdlet, identity, ctx.dc);
  return output;
};

/** Remove-ManagementRoleEntry: removes one entry from a custom role. */
export const removeManagementRoleEntry: CmdletHandler = (ctx) => {
  const identity = ctx.params.requireString('Identity');
  const { role: roleName, entry: entryName } = splitEntryIdentity(ctx, identity);
  const role = requireRoleOf(ctx, roleName, identity);
  const index = role.entries.findIndex((entry) => sameName(entry, entryName));
  if (index < 0) throw objectNotFound(ctx.cmdlet, identity, ctx.dc);
  if (role.builtIn) throw builtInRoleEntry(ctx.cmdlet, role.name, role.entries[index] ?? entryName);
  role.entries.splice(index, 1);
  return [];
};

/** New-ManagementRoleAssignment: assigns a role to a user. */
export const newManagementRoleAssignment: CmdletHandler = (ctx) => {
  const org = ctx.state.org;
  const role = requireRole(ctx, ctx.params.requireString('Role'));
  const user = requireAnyUser(ctx, ctx.params.requireString('User'));
  const existing = org.roleAssignments.find(
    (a) => sameName(a.role, role.name) && sameName(a.user, user.name),
  );
  if (existing) throw duplicateRoleAssignment(ctx.cmdlet, role.name, user.name, existing.name);
  const name = ctx.params.string('Name') ?? `${role.name}-${user.name}`.slice(0, MAX_ASSIGNMENT_NAME);
  if (org.roleAssignments.some((a) => sameName(a.name, name))) throw nameInUse(ctx.cmdlet, name);

  const assignment: RoleAssignment = { name, role: role.name, user: user.name, enabled: true };
  org.roleAssignments.push(assignment);
  return [roleAssignmentOutput(assignment)];
};

/** Get-ManagementRoleAssignment: assignments filtered by -Identity, -Role and -RoleAssignee. */
export const getManagementRoleAssignment: CmdletHandler = (ctx) => {
  let assignments = ctx.state.org.roleAssignments;
  const identity = ctx.params.string('Identity');
  const roleName = ctx.params.string('Role');
  const assignee = ctx.params.string('RoleAssignee');
  if (roleName !== undefined) {
    const role = requireRole(ctx, roleName);
    assignments = assignments.filter((a) => sameName(a.role, role.name));
  }
  if (assignee !== undefined) {
    const user = requireAnyUser(ctx, assignee);
    assignments = assignments.filter((a) => sameName(a.user, user.name));
  }
  if (identity !== undefined) {
    assignments = assignments.filter((a) => wildcardMatch(identity, a.name));
    if (assignments.length === 0 && !hasWildcard(identity))
      throw objectNotFound(ctx.cmdlet, identity, ctx.dc);
  }
  return assignments.map(roleAssignmentOutput);
};
