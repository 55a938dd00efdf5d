/**
 * Diffs for the Exchange side of the dedicated hybrid application: the servers' builds, the evoSTS auth server
 * naming the application, and the setting override that turns the feature on.
 */
import { valueRef } from '../../core/plan';
import { sameText } from '../../core/text';
import {
  CUMULATIVE_UPDATES,
  compareBuilds,
  cumulativeUpdateOf,
  type ExchangeBuild,
  parseExchangeBuild,
} from '../../exchange/builds';
import { HYBRID_APP_OVERRIDE } from '../../exchange/cmdlets-hybrid';
import type {
  ExchangeBuildsStep,
  HybridAppAuthServerStep,
  HybridAppOverrideStep,
  RunbookInputs,
} from '../../runbooks/types';
import type { StepDiff } from '../plan-types';
import type { ExchangeServerView, Snapshot } from '../snapshot-types';
import { HYBRID_APP } from './dedicated-app-entra';
import { dcParam } from './exchange-objects';
import { coexistenceDomain } from './hybrid-oauth';
import { emsOp, none } from './operations';
import { missingHybridOAuth } from './prerequisites';

/** What AdminDisplayVersion (the CU only) tells of a server's support for the dedicated hybrid application. */
export type BuildSupport = 'supported' | 'needs-hotfix-check' | 'unsupported' | 'unknown' | 'edge';

/** A server's support judged from Get-ExchangeServer: a CU the article lists or a newer one, else unsupported. */
export function buildSupport(server: ExchangeServerView): BuildSupport {
  if (sameText(server.role, 'Edge')) return 'edge';
  const build = parseExchangeBuild(server.adminDisplayVersion);
  if (!build) return 'unknown';
  const cu = cumulativeUpdateOf(build);
  if (cu) return cu.dedicatedHybridAppMinimum === null ? 'supported' : 'needs-hotfix-check';
  const listed = CUMULATIVE_UPDATES.map((entry) => parseExchangeBuild(entry.rtm) as ExchangeBuild).filter(
    (entry) => entry.major === build.major && entry.minor === build.minor,
  );
  return listed.some((entry) => compareBuilds(build, entry) < 0) || listed.length === 0
    ? 'unsupported'
    : 'supported';
}

/** The servers that can't use the dedicated application, in one sentence each; empty when all can. */
export function unsupportedServers(servers: readonly ExchangeServerView[]): string[] {
  return servers
    .filter((server) => ['unsupported', 'unknown'].includes(buildSupport(server)))
    .map((server) => `${server.name} (${server.adminDisplayVersion || 'no version'})`);
}

export function diffExchangeBuilds(_step: ExchangeBuildsStep, snap: Snapshot): StepDiff {
  const servers = snap.exchangeServers ?? [];
  const unsupported = unsupportedServers(servers);
  const hotfix = servers.filter((server) => buildSupport(server) === 'needs-hotfix-check');
  const warnings =
    unsupported.length > 0
      ? [
          `Not on a build with the dedicated hybrid application: ${unsupported.join(', ')}. These servers keep using the shared principal, which Exchange Online refuses for EWS: update them to Exchange 2016 CU23 / 2019 CU14 or CU15 with the April 2025 HU, or Exchange SE.`,
        ]
      : [];
  // AdminDisplayVersion names the CU only: the hotfix itself is the admin's to confirm.
  const confirm =
    hotfix.length > 0
      ? ` Get-ExchangeServer shows the cumulative update only: confirm the April 2025 HU or later on ${hotfix.map((server) => server.name).join(', ')} with (Get-Command ExSetup.exe).FileVersionInfo.FileVersion (at least 15.1.2507.55, 15.2.1544.25 or 15.2.1748.24).`
      : '';
  const described = servers.map(
    (server) => `${server.name} ${server.adminDisplayVersion} (${buildSupport(server)})`,
  );
  return none(`Servers: ${described.join(', ') || 'none found'}.${confirm}`, warnings);
}

/** The domains the evoSTS server gets: the ACS server's for the tenant (as the script does), else the coexistence domain. */
function hybridDomains(snap: Snapshot, tenant: string): string[] {
  const acs = (snap.authServers ?? []).find(
    (server) =>
      sameText(server.type, 'MicrosoftACS') &&
      sameText(server.realm, tenant) &&
      server.enabled &&
      server.domainName.length,
  );
  if (acs) return [...acs.domainName];
  const coexistence = coexistenceDomain(snap);
  return coexistence ? [coexistence] : [];
}

export function diffHybridAppAuthServer(
  _step: HybridAppAuthServerStep,
  snap: Snapshot,
  inputs: RunbookInputs,
): StepDiff {
  const tenant = inputs.tenantId ?? '';
  const evoSts = (snap.authServers ?? []).filter(
    (server) => sameText(server.type, 'AzureAD') && sameText(server.realm, tenant) && server.enabled,
  );
  if (evoSts.length !== 1) {
    return none(`${evoSts.length} enabled evoSTS (AzureAD) auth servers for the tenant ${tenant}.`, [
      evoSts.length === 0
        ? 'No enabled evoSTS auth server for the tenant: plan hybrid-oauth first.'
        : 'More than one enabled evoSTS auth server for the tenant: remove the duplicate, then plan again.',
    ]);
  }
  const server = evoSts[0] as (typeof evoSts)[number];
  const app = snap.dedicatedApp?.application;
  const domains = hybridDomains(snap, tenant);
  const sameDomains =
    domains.length === server.domainName.length &&
    domains.every((d) => server.domainName.some((h) => sameText(h, d)));
  if (app && sameText(server.applicationIdentifier, app.appId) && sameDomains) {
    return none(`${server.name} names ${app.appId} for ${domains.join(', ')}.`);
  }
  return {
    change: 'update',
    operations: [
      emsOp('Set-AuthServer', {
        Identity: server.name,
        ApplicationIdentifier: app?.appId ?? valueRef(HYBRID_APP, 'appId'),
        DomainName: domains,
        ...dcParam(inputs),
      }),
    ],
    detail: `${server.name} names ${server.applicationIdentifier || 'no application'} for ${server.domainName.join(', ') || 'no domain'}.`,
    warnings: [],
  };
}

export function diffHybridAppOverride(
  step: HybridAppOverrideStep,
  snap: Snapshot,
  inputs: RunbookInputs,
): StepDiff {
  const overrides = (snap.settingOverrides ?? []).filter(
    (o) =>
      sameText(o.componentName, HYBRID_APP_OVERRIDE.component) &&
      sameText(o.sectionName, HYBRID_APP_OVERRIDE.section),
  );
  const enabled = (o: (typeof overrides)[number]) =>
    o.parameters.some((p) => /^\s*enabled\s*=\s*true\s*$/i.test(p));
  if (overrides.length === 1 && enabled(overrides[0] as (typeof overrides)[number])) {
    return none(`Setting override ${overrides[0]?.name} turns the dedicated hybrid application on.`);
  }
  if (overrides.length > 0) {
    return none(
      `${overrides.length} setting override(s) for ${HYBRID_APP_OVERRIDE.section}, not one with Enabled=true.`,
      [
        `Remove them (Get-SettingOverride | Where-Object {$_.ComponentName -eq 'Global' -and $_.SectionName -eq '${HYBRID_APP_OVERRIDE.section}'} | Remove-SettingOverride -Confirm:$false), then plan again.`,
      ],
    );
  }
  const missing = missingHybridOAuth(snap, inputs).filter((item) => !/EvoSts/.test(item));
  const refresh = (snap.exchangeServers ?? [])
    .filter((server) => !sameText(server.role, 'Edge'))
    .map((server) =>
      emsOp('Get-ExchangeDiagnosticInfo', {
        Server: server.name,
        Process: 'Microsoft.Exchange.Directory.TopologyService',
        Component: 'VariantConfiguration',
        Argument: 'Refresh',
      }),
    );
  return {
    change: 'create',
    operations: [
      emsOp('New-SettingOverride', {
        Name: step.name,
        Component: HYBRID_APP_OVERRIDE.component,
        Section: HYBRID_APP_OVERRIDE.section,
        Parameters: ['Enabled=true'],
        Reason: step.reason,
        ...dcParam(inputs),
      }),
      ...refresh,
    ],
    detail: `No setting override ${step.name} yet; each Mailbox server's topology service is refreshed after it.`,
    warnings:
      missing.length > 0
        ? [`The feature needs hybrid OAuth, which lacks ${missing.join('; ')}: plan hybrid-oauth first.`]
        : [],
  };
}
