/**
 * Setting overrides (New/Get/Remove-SettingOverride), the topology service refresh that makes a server read them
 * (Get-ExchangeDiagnosticInfo … -Argument Refresh), and whether the dedicated hybrid app feature is on for a server.
 */
import { isoSeconds } from '../../core/time';
import { HYBRID_APP_OVERRIDE } from '../../exchange/cmdlets-hybrid';
import type { ExchangeServer, LabState, SettingOverride } from '../state';
import type { CmdletHandler } from './context';
import {
  invalidArgument,
  invalidOverrideParameter,
  nameInUse,
  objectNotFound,
  processNotRunning,
  unknownOverrideSection,
} from './errors';
import { hasWildcard, sameName, wildcardMatch } from './names';
import { settingOverrideOutput } from './shapes';
import { reachableServer } from './topology';

/** The sections the lab knows, with the parameters each takes (the dedicated app's, and its Graph successor's). */
const KNOWN_SECTIONS: readonly { component: string; section: string; parameters: readonly string[] }[] = [
  { component: HYBRID_APP_OVERRIDE.component, section: HYBRID_APP_OVERRIDE.section, parameters: ['Enabled'] },
  { component: 'SettingOverride', section: 'RouteThroughMSGraph', parameters: ['Enabled'] },
];

/** "It may take up to 60 minutes" for a server to pick up an override on its own (CSS-Exchange, Emerging Issues). */
const PICKUP_MS = 60 * 60_000;

const TOPOLOGY_SERVICE = 'Microsoft.Exchange.Directory.TopologyService';

/** New-SettingOverride: stores an override in AD; servers read it on refresh, or within the hour. */
export const newSettingOverride: CmdletHandler = (ctx) => {
  const name = ctx.params.requireString('Name');
  const component = ctx.params.requireString('Component');
  const section = ctx.params.requireString('Section');
  const parameters = ctx.params.strings('Parameters') ?? [ctx.params.requireString('Parameters')];
  const reason = ctx.params.requireString('Reason');
  const known = KNOWN_SECTIONS.find((k) => sameName(k.component, component) && sameName(k.section, section));
  if (!known) throw unknownOverrideSection(ctx.cmdlet, component, section);
  for (const entry of parameters) {
    const [key = '', value] = entry.split('=');
    if (value === undefined || !known.parameters.some((p) => sameName(p, key.trim()))) {
      throw invalidOverrideParameter(ctx.cmdlet, entry, known.section);
    }
  }
  const org = ctx.state.org;
  if (org.settingOverrides.some((o) => sameName(o.name, name))) throw nameInUse(ctx.cmdlet, name);
  const at = isoSeconds(ctx.now);
  const override: SettingOverride = {
    name,
    componentName: known.component,
    sectionName: known.section,
    parameters: [...parameters],
    reason,
    server: ctx.params.strings('Server') ?? null,
    whenCreated: at,
    whenChanged: at,
  };
  org.settingOverrides.push(override);
  return [settingOverrideOutput(override, org)];
};

/** Get-SettingOverride: one override by name, a wildcard match, or all (the AD view, not what servers apply). */
export const getSettingOverride: CmdletHandler = (ctx) => {
  const org = ctx.state.org;
  const identity = ctx.params.string('Identity');
  const output = (o: SettingOverride) => settingOverrideOutput(o, org);
  if (identity === undefined) return org.settingOverrides.map(output);
  const matches = org.settingOverrides.filter((o) => wildcardMatch(identity, o.name));
  if (matches.length === 0 && !hasWildcard(identity)) throw objectNotFound(ctx.cmdlet, identity, ctx.dc);
  return matches.map(output);
};

/** Remove-SettingOverride: deletes an override found by name (the lab's servers stop applying it at once). */
export const removeSettingOverride: CmdletHandler = (ctx) => {
  const org = ctx.state.org;
  const identity = ctx.params.requireString('Identity');
  const override = org.settingOverrides.find((o) => sameName(o.name, identity));
  if (!override) throw objectNotFound(ctx.cmdlet, identity, ctx.dc);
  org.settingOverrides = org.settingOverrides.filter((o) => o !== override);
  return [];
};

/** Get-ExchangeDiagnosticInfo -Process …TopologyService -Component VariantConfiguration -Argument Refresh. */
export const refreshVariantConfiguration: CmdletHandler = (ctx) => {
  const process = ctx.params.requireString('Process');
  const component = ctx.params.requireString('Component');
  const argument = ctx.params.requireString('Argument');
  if (
    !sameName(process, TOPOLOGY_SERVICE) ||
    !sameName(component, 'VariantConfiguration') ||
    !sameName(argument, 'Refresh')
  ) {
    throw invalidArgument(
      ctx.cmdlet,
      'The lab answers only the VariantConfiguration Refresh of the topology service.',
    );
  }
  const server = reachableServer(ctx);
  if (server.role === 'Edge') throw processNotRunning(ctx.cmdlet, TOPOLOGY_SERVICE, server.name);
  const at = isoSeconds(ctx.now);
  server.overridesRefreshedAt = at;
  // The shape of the answer is the lab's (the XML of a real refresh was not found in any source).
  const result =
    `<Diagnostics><ProcessInfo><serverName>${server.name}</serverName><currentTime>${at}</currentTime></ProcessInfo>` +
    '<Components><VariantConfiguration><Refresh>Refreshed</Refresh></VariantConfiguration></Components></Diagnostics>';
  return [{ Result: result }];
};

/** Whether `server` applies the override at `now`: it names the server (or all), and was refreshed or is an hour old. */
function appliesOn(override: SettingOverride, server: ExchangeServer, now: Date): boolean {
  if (override.server !== null && !override.server.some((pattern) => wildcardMatch(pattern, server.name))) {
    return false;
  }
  const changed = Date.parse(override.whenChanged);
  const refreshed = server.overridesRefreshedAt === null ? null : Date.parse(server.overridesRefreshedAt);
  return (refreshed !== null && refreshed >= changed) || now.getTime() >= changed + PICKUP_MS;
}

/**
 * Whether the dedicated hybrid application feature is on for `server`: an override of its section in effect there
 * says Enabled=true, and none says Enabled=false (what Exchange does with conflicting overrides is not documented).
 */
export function hybridAppFeatureOn(state: LabState, server: ExchangeServer, now: Date): boolean {
  const values = state.org.settingOverrides
    .filter(
      (o) =>
        sameName(o.componentName, HYBRID_APP_OVERRIDE.component) &&
        sameName(o.sectionName, HYBRID_APP_OVERRIDE.section) &&
        appliesOn(o, server, now),
    )
    .flatMap((o) => o.parameters.map((entry) => entry.replace(/\s+/g, '').toLowerCase()));
  return values.includes('enabled=true') && !values.includes('enabled=false');
}
