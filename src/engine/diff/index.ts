/** Diffs one runbook step against the probed state. */
import type { RunbookInputs, RunbookStep } from '../../runbooks/types';
import type { StepDiff } from '../plan-types';
import type { Projection } from '../projection';
import type { Snapshot } from '../snapshot';
import { diffHybridApplication } from './dedicated-app-entra';
import { diffExchangeBuilds, diffHybridAppAuthServer, diffHybridAppOverride } from './dedicated-app-exchange';
import {
  diffAuthServer,
  diffMailUser,
  diffMailUserHidden,
  diffManagementRole,
  diffRoleAssignment,
  diffRoleEntriesOnly,
} from './exchange-objects';
import { diffExportAuthCertificate, diffServicePrincipalName, diffUploadAuthCertificate } from './graph-side';
import { diffIntraOrganizationConnector, diffManual, diffTenantAuthServer } from './hybrid-oauth';
import {
  diffEnablePartnerApplication,
  diffPartnerApplication,
  diffRemovePartnerApplication,
} from './partner-applications';
import { diffHybridOAuthPrerequisite } from './prerequisites';
import {
  diffClearPreviousAuthCertificate,
  diffNewAuthCertificate,
  diffPublishAuthCertificate,
  diffStageAuthCertificate,
} from './rotation';
import { diffUploadRotatedAuthCertificate, diffUploadRotatedHybridAppCertificate } from './rotation-uploads';
import { diffSharedPrincipalCleanup } from './shared-principal-cleanup';

/** What one step would change, given the snapshot and what earlier steps of the plan create. */
export function diffStep(
  step: RunbookStep,
  snap: Snapshot,
  proj: Projection,
  inputs: RunbookInputs,
  now: Date,
): StepDiff {
  switch (step.kind) {
    case 'hybridOAuthPrerequisite':
      return diffHybridOAuthPrerequisite(step, snap, inputs);
    case 'mailUser':
      return diffMailUser(step, snap, proj, inputs);
    case 'mailUserHidden':
      return diffMailUserHidden(step, snap, proj, inputs);
    case 'managementRole':
      return diffManagementRole(step, snap, proj, inputs);
    case 'roleEntriesOnly':
      return diffRoleEntriesOnly(step, snap, proj, inputs);
    case 'roleAssignment':
      return diffRoleAssignment(step, snap, inputs);
    case 'partnerApplication':
      return diffPartnerApplication(step, snap, proj, inputs);
    case 'enablePartnerApplication':
      return diffEnablePartnerApplication(step, snap, inputs);
    case 'removePartnerApplication':
      return diffRemovePartnerApplication(step, snap, inputs);
    case 'authServer':
      return diffAuthServer(step, snap, inputs);
    case 'tenantAuthServer':
      return diffTenantAuthServer(step, snap, inputs);
    case 'intraOrganizationConnector':
      return diffIntraOrganizationConnector(step, snap, inputs);
    case 'manual':
      return diffManual(step);
    case 'exchangeBuilds':
      return diffExchangeBuilds(step, snap);
    case 'hybridApplication':
      return diffHybridApplication(step, snap, now);
    case 'hybridAppAuthServer':
      return diffHybridAppAuthServer(step, snap, inputs);
    case 'hybridAppOverride':
      return diffHybridAppOverride(step, snap, inputs);
    case 'sharedPrincipalCleanup':
      return diffSharedPrincipalCleanup(step, snap, inputs, now);
    case 'exportAuthCertificate':
      return diffExportAuthCertificate(step, snap, now);
    case 'uploadAuthCertificate':
      return diffUploadAuthCertificate(step, snap, now);
    case 'servicePrincipalName':
      return diffServicePrincipalName(step, snap);
    case 'newAuthCertificate':
      return diffNewAuthCertificate(step, snap, now);
    case 'stageAuthCertificate':
      return diffStageAuthCertificate(step, snap, inputs, now);
    case 'uploadRotatedAuthCertificate':
      return diffUploadRotatedAuthCertificate(step, snap, now);
    case 'uploadRotatedHybridAppCertificate':
      return diffUploadRotatedHybridAppCertificate(step, snap, now);
    case 'publishAuthCertificate':
      return diffPublishAuthCertificate(step, snap, inputs, now);
    case 'clearPreviousAuthCertificate':
      return diffClearPreviousAuthCertificate(step, snap, inputs, now);
  }
}

/** Whether a step acts on Exchange or on Entra through Graph. */
export function stepTarget(step: RunbookStep): 'exchange' | 'graph' {
  return step.kind === 'uploadAuthCertificate' ||
    step.kind === 'servicePrincipalName' ||
    step.kind === 'hybridApplication' ||
    step.kind === 'sharedPrincipalCleanup' ||
    step.kind === 'uploadRotatedAuthCertificate' ||
    step.kind === 'uploadRotatedHybridAppCertificate'
    ? 'graph'
    : 'exchange';
}
