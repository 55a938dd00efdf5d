/** Diffs for the Exchange objects the seeds create: mail user, role, role entries, role assignment, auth server. */
import type { EmsCommand } from '../../core/ems';
import type {
  AuthServerStep,
  MailUserHiddenStep,
  MailUserStep,
  ManagementRoleStep,
  RoleAssignmentStep,
  RoleEntriesOnlyStep,
  RunbookInputs,
} from '../../runbooks/types';
import type { StepDiff } from '../plan-types';
import type { Projection } from '../projection';
import type { Snapshot } from '../snapshot';
import { emsOp } from './operations';

const lower = (value: string) => value.toLowerCase();

function ems(command: EmsCommand) {
  return emsOp(command.cmdlet, command.params);
}

/** `-DomainController` as the seeds pass it to every command. */
export function dcParam(inputs: RunbookInputs): Record<string, string> {
  return inputs.dc ? { DomainController: inputs.dc } : {};
}

export function diffMailUser(
  step: MailUserStep,
  snap: Snapshot,
  proj: Projection,
  inputs: RunbookInputs,
): StepDiff {
  const found = snap.mailUsers.get(lower(step.name));
  if (found) {
    const warnings =
      lower(found.externalEmailAddress.replace(/^smtp:/i, '')) === lower(step.externalEmailAddress)
        ? []
        : [
            `${step.name} exists with external address ${found.externalEmailAddress}, not ${step.externalEmailAddress}.`,
          ];
    return { change: 'none', operations: [], detail: `Mail user ${found.identity} exists.`, warnings };
  }
  proj.mailUsers.add(lower(step.name));
  const params: Record<string, string | boolean> = { Name: step.name };
  if (step.applicationAccount) params.ApplicationAccount = true;
  params.ExternalEmailAddress = step.externalEmailAddress;
  Object.assign(params, dcParam(inputs));
  return {
    change: 'create',
    operations: [ems({ cmdlet: 'New-MailUser', params })],
    detail: `No mail user ${step.name} yet.`,
    warnings: [],
  };
}

export function diffMailUserHidden(
  step: MailUserHiddenStep,
  snap: Snapshot,
  proj: Projection,
  inputs: RunbookInputs,
): StepDiff {
  const found = snap.mailUsers.get(lower(step.name));
  if (found?.hidden) {
    return {
      change: 'none',
      operations: [],
      detail: `${found.identity} is hidden from address lists.`,
      warnings: [],
    };
  }
  const detail = found
    ? `${found.identity} is visible in address lists.`
    : proj.mailUsers.has(lower(step.name))
      ? `${step.name} will be created visible in address lists.`
      : `No mail user ${step.name} to hide.`;
  return {
    change: 'update',
    operations: [
      ems({
        cmdlet: 'Set-MailUser',
        params: { Identity: step.name, HiddenFromAddressListsEnabled: true, ...dcParam(inputs) },
      }),
    ],
    detail,
    warnings: [],
  };
}

export function diffManagementRole(
  step: ManagementRoleStep,
  snap: Snapshot,
  proj: Projection,
  inputs: RunbookInputs,
): StepDiff {
  const found = snap.roles.get(lower(step.name));
  if (found) {
    const warnings =
      found.parent && lower(found.parent) !== lower(step.parent)
        ? [`Role ${step.name} exists but its parent is ${found.parent}, not ${step.parent}.`]
        : [];
    return { change: 'none', operations: [], detail: `Role ${step.name} exists.`, warnings };
  }
  proj.roles.set(lower(step.name), step.parent);
  return {
    change: 'create',
    operations: [
      ems({
        cmdlet: 'New-ManagementRole',
        params: { Name: step.name, Parent: step.parent, ...dcParam(inputs) },
      }),
    ],
    detail: `No role ${step.name} yet; it will start with every entry of ${step.parent}.`,
    warnings: [],
  };
}

export function diffRoleEntriesOnly(
  step: RoleEntriesOnlyStep,
  snap: Snapshot,
  proj: Projection,
  inputs: RunbookInputs,
): StepDiff {
  const own = snap.roleEntries.get(lower(step.role));
  const projectedParent = proj.roles.get(lower(step.role));
  const entries = own ?? (projectedParent ? (snap.roleEntries.get(lower(projectedParent)) ?? []) : []);
  if (!own && !projectedParent) {
    return {
      change: 'none',
      operations: [],
      detail: `Role ${step.role} does not exist, so it has no entries to remove.`,
      warnings: [`Role ${step.role} is missing; create it first.`],
    };
  }
  const keep = new Set(step.keep.map(lower));
  const extra = entries.filter((entry) => !keep.has(lower(entry)));
  const missing = step.keep.filter((wanted) => !entries.some((entry) => lower(entry) === lower(wanted)));
  const warnings = missing.map(
    (entry) =>
      `${step.role} lacks ${entry}; remove the role and plan again so it is re-created from ${step.parent}.`,
  );
  if (extra.length === 0) {
    return {
      change: 'none',
      operations: [],
      detail: `${step.role} holds only ${step.keep.join(', ')}.`,
      warnings,
    };
  }
  return {
    change: 'delete',
    operations: extra.map((entry) =>
      ems({
        cmdlet: 'Remove-ManagementRoleEntry',
        params: { Identity: `${step.role}\\${entry}`, Confirm: false, ...dcParam(inputs) },
      }),
    ),
    detail: `${step.role} ${own ? 'holds' : 'will hold'} ${entries.length} entries; ${extra.length} to remove, keeping ${step.keep.join(', ')}.`,
    warnings,
  };
}

export function diffRoleAssignment(
  step: RoleAssignmentStep,
  snap: Snapshot,
  inputs: RunbookInputs,
): StepDiff {
  const roles = snap.roleAssignments.get(lower(step.user)) ?? [];
  if (roles.some((role) => lower(role) === lower(step.role))) {
    return {
      change: 'none',
      operations: [],
      detail: `${step.role} is assigned to ${step.user}.`,
      warnings: [],
    };
  }
  return {
    change: 'create',
    operations: [
      ems({
        cmdlet: 'New-ManagementRoleAssignment',
        params: { Role: step.role, User: step.user, ...dcParam(inputs) },
      }),
    ],
    detail: `${step.role} is not assigned to ${step.user}.`,
    warnings: [],
  };
}

export function diffAuthServer(step: AuthServerStep, snap: Snapshot, inputs: RunbookInputs): StepDiff {
  const found = (snap.authServers ?? []).find((server) => lower(server.name) === lower(step.name));
  if (found) {
    const warnings =
      found.authMetadataUrl === step.authMetadataUrl
        ? []
        : [`Auth server ${step.name} points at ${found.authMetadataUrl}, not ${step.authMetadataUrl}.`];
    return { change: 'none', operations: [], detail: `Auth server ${step.name} exists.`, warnings };
  }
  return {
    change: 'create',
    operations: [
      ems({
        cmdlet: 'New-AuthServer',
        params: { Name: step.name, AuthMetadataUrl: step.authMetadataUrl, ...dcParam(inputs) },
      }),
    ],
    detail: `No auth server ${step.name} yet.`,
    warnings: [],
  };
}
