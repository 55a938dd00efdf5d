/** Diffs for partner applications: create or correct one, enable the built-in one, remove the legacy one. */
import type { ParamValue } from '../../core/ems';
import type {
  EnablePartnerApplicationStep,
  PartnerApplicationStep,
  RemovePartnerApplicationStep,
  RunbookInputs,
} from '../../runbooks/types';
import type { StepDiff } from '../plan-types';
import type { Projection } from '../projection';
import type { PartnerApplicationView, Snapshot } from '../snapshot';
import { dcParam } from './exchange-objects';
import { emsOp } from './operations';

const lower = (value: string) => value.toLowerCase();

function byAppId(snap: Snapshot, appId: string): PartnerApplicationView[] {
  return (snap.partnerApplications ?? []).filter((app) => lower(app.applicationIdentifier) === lower(appId));
}

/** Whether the partner application's LinkedAccount is the mail user the step wants. */
function linksTo(app: PartnerApplicationView, account: string, snap: Snapshot): boolean {
  if (!app.linkedAccount) return false;
  const user = snap.mailUsers.get(lower(account));
  const linked = lower(app.linkedAccount);
  if (user && linked === lower(user.identity)) return true;
  return linked === lower(account) || linked.endsWith(`/${lower(account)}`);
}

export function diffPartnerApplication(
  step: PartnerApplicationStep,
  snap: Snapshot,
  proj: Projection,
  inputs: RunbookInputs,
): StepDiff {
  const candidates = byAppId(snap, step.applicationIdentifier);
  const found = candidates.find((app) => lower(app.name) === lower(step.name)) ?? candidates[0];
  const accountKnown =
    !step.linkedAccount ||
    snap.mailUsers.get(lower(step.linkedAccount)) ||
    proj.mailUsers.has(lower(step.linkedAccount));
  const warnings = accountKnown
    ? []
    : [`Mail user ${step.linkedAccount} does not exist; the command will fail.`];
  if (!found) {
    const params: Record<string, ParamValue> = {
      Name: step.name,
      ApplicationIdentifier: step.applicationIdentifier,
      Enabled: true,
    };
    if (step.linkedAccount) params.LinkedAccount = step.linkedAccount;
    Object.assign(params, dcParam(inputs));
    return {
      change: 'create',
      operations: [emsOp('New-PartnerApplication', params)],
      detail: `No partner application for ${step.applicationIdentifier} yet.`,
      warnings,
    };
  }
  const params: Record<string, ParamValue> = { Identity: found.name };
  const differences: string[] = [];
  if (!found.enabled) {
    params.Enabled = true;
    differences.push('it is disabled');
  }
  if (step.linkedAccount && !linksTo(found, step.linkedAccount, snap)) {
    params.LinkedAccount = step.linkedAccount;
    differences.push(`its linked account is ${found.linkedAccount ?? 'empty'}, not ${step.linkedAccount}`);
  }
  if (!step.linkedAccount && found.linkedAccount) {
    warnings.push(
      `${found.name} has linked account ${found.linkedAccount}; the seed creates it without one.`,
    );
  }
  if (lower(found.name) !== lower(step.name)) {
    warnings.push(
      `The partner application for ${step.applicationIdentifier} is named ${found.name}, not ${step.name}.`,
    );
  }
  if (differences.length === 0) {
    return { change: 'none', operations: [], detail: `${found.name} exists, enabled, as desired.`, warnings };
  }
  Object.assign(params, dcParam(inputs));
  return {
    change: 'update',
    operations: [emsOp('Set-PartnerApplication', params)],
    detail: `${found.name} exists but ${differences.join(' and ')}.`,
    warnings,
  };
}

export function diffEnablePartnerApplication(
  step: EnablePartnerApplicationStep,
  snap: Snapshot,
  inputs: RunbookInputs,
): StepDiff {
  const found = byAppId(snap, step.applicationIdentifier).find((app) => app.realm === step.realm);
  if (!found) {
    return {
      change: 'none',
      operations: [],
      detail: `No partner application for ${step.applicationIdentifier} with an empty realm exists.`,
      warnings: [
        'Exchange setup creates this partner application; its absence means the server needs attention.',
      ],
    };
  }
  if (found.enabled) {
    return { change: 'none', operations: [], detail: `${found.name} is enabled.`, warnings: [] };
  }
  return {
    change: 'update',
    operations: [
      emsOp('Set-PartnerApplication', { Identity: found.name, Enabled: true, ...dcParam(inputs) }),
    ],
    detail: `${found.name} is disabled.`,
    warnings: [],
  };
}

export function diffRemovePartnerApplication(
  step: RemovePartnerApplicationStep,
  snap: Snapshot,
  inputs: RunbookInputs,
): StepDiff {
  const enabled = byAppId(snap, step.applicationIdentifier).filter((app) => app.enabled);
  if (enabled.length === 0) {
    return {
      change: 'none',
      operations: [],
      detail: `No enabled partner application uses ${step.applicationIdentifier}.`,
      warnings: [],
    };
  }
  return {
    change: 'delete',
    operations: enabled.map((app) =>
      emsOp('Remove-PartnerApplication', { Identity: app.name, Confirm: false, ...dcParam(inputs) }),
    ),
    detail: `Enabled partner applications using ${step.applicationIdentifier}: ${enabled.map((app) => app.name).join(', ')}.`,
    warnings: [],
  };
}
