/** Diffs for the hybrid OAuth steps: the tenant's auth servers, the intra-organization connector, a manual step. */

import { sameText } from '../../core/text';
import type {
  IntraOrganizationConnectorStep,
  ManualStep,
  RunbookInputs,
  TenantAuthServerStep,
} from '../../runbooks/types';
import type { StepDiff } from '../plan-types';
import type { Snapshot } from '../snapshot';
import { dcParam } from './exchange-objects';
import { emsOp, none } from './operations';

/** The tenant's auth server of the step's type: found by type and realm, created when absent, enabled when off. */
export function diffTenantAuthServer(
  step: TenantAuthServerStep,
  snap: Snapshot,
  inputs: RunbookInputs,
): StepDiff {
  const tenant = inputs.tenantId ?? '';
  const ofType = (snap.authServers ?? []).filter((server) => sameText(server.type, step.serverType));
  const forTenant = ofType.filter((server) => sameText(server.realm, tenant));
  const enabled = forTenant.find((server) => server.enabled);
  if (enabled) return none(`Auth server ${enabled.name} (${step.serverType}, realm ${tenant}) is enabled.`);
  const disabled = forTenant[0];
  if (disabled) {
    return {
      change: 'update',
      operations: [emsOp('Set-AuthServer', { Identity: disabled.name, Enabled: true, ...dcParam(inputs) })],
      detail: `Auth server ${disabled.name} (${step.serverType}, realm ${tenant}) is disabled.`,
      warnings: [],
    };
  }
  const taken = (snap.authServers ?? []).find((server) => sameText(server.name, step.name));
  if (taken) {
    return none(`Auth server ${taken.name} exists with realm ${taken.realm || '(none)'}, not ${tenant}.`, [
      `An auth server named ${step.name} trusts realm ${taken.realm || '(none)'} (${taken.type}), not the tenant ${tenant}: check the tenant id, or remove it and plan again.`,
    ]);
  }
  const others = ofType.map((server) => `${server.name} (realm ${server.realm || 'none'})`);
  return {
    change: 'create',
    operations: [
      emsOp('New-AuthServer', {
        Name: step.name,
        ...(step.serverType === 'AzureAD' ? { Type: 'AzureAD' } : {}),
        AuthMetadataUrl: step.authMetadataUrl,
        ...dcParam(inputs),
      }),
    ],
    detail:
      others.length === 0
        ? `No ${step.serverType} auth server yet.`
        : `No ${step.serverType} auth server for the tenant ${tenant}; found ${others.join(', ')}.`,
    warnings: [],
  };
}

/** The coexistence (hybrid routing) domain among the accepted domains: `<tenant>.mail.onmicrosoft.com`. */
export function coexistenceDomain(snap: Snapshot): string | null {
  return (
    (snap.acceptedDomains ?? []).find((domain) => /\.mail\.onmicrosoft\.(com|us)$/i.test(domain)) ?? null
  );
}

/** An enabled connector for the coexistence domain, whatever its name; one of this name enabled when off; else a new one. */
export function diffIntraOrganizationConnector(
  step: IntraOrganizationConnectorStep,
  snap: Snapshot,
  inputs: RunbookInputs,
): StepDiff {
  const target = coexistenceDomain(snap);
  if (!target) {
    return none('No accepted domain *.mail.onmicrosoft.com (the hybrid coexistence domain).', [
      'Add the tenant coexistence domain (<tenant>.mail.onmicrosoft.com) as an accepted domain, then plan again.',
    ]);
  }
  const connectors = snap.intraOrganizationConnectors ?? [];
  const serving = connectors.filter((connector) =>
    connector.targetAddressDomains.some((domain) => sameText(domain, target)),
  );
  const enabled = serving.find((connector) => connector.enabled);
  if (enabled) return none(`Intra-organization connector ${enabled.name} serves ${target} and is enabled.`);
  const named = connectors.find((connector) => sameText(connector.name, step.name)) ?? serving[0];
  if (named) {
    return {
      change: 'update',
      operations: [
        emsOp('Set-IntraOrganizationConnector', {
          Identity: named.name,
          ...(serving.includes(named) ? {} : { TargetAddressDomains: [target] }),
          Enabled: true,
          ...dcParam(inputs),
        }),
      ],
      detail: `Intra-organization connector ${named.name} is ${named.enabled ? `not for ${target}` : 'disabled'}.`,
      warnings: [],
    };
  }
  return {
    change: 'create',
    operations: [
      emsOp('New-IntraOrganizationConnector', {
        Name: step.name,
        DiscoveryEndpoint: step.discoveryEndpoint,
        TargetAddressDomains: [target],
        ...dcParam(inputs),
      }),
    ],
    detail: `No intra-organization connector for ${target} yet.`,
    warnings: [],
  };
}

/** A step only an admin can run: nothing changes here; the plan shows where and what to run. */
export function diffManual(step: ManualStep): StepDiff {
  return none(`Manual step, in ${step.shell}: ${step.command}`);
}
