/**
 * Probing the dedicated Exchange hybrid application (`ExchangeServerApp-<organization GUID>`): found by display
 * name once Get-OrganizationConfig gave the GUID, then read by id so its keys come with their bytes (a list read
 * omits them, and a keyCredentials PATCH must send every kept key back).
 */
import type { Application } from '../core/entra';
import type { GraphPort } from '../core/ports';
import { parseKeyCredentials } from '../graph/parse';

type Row = Record<string, unknown>;

/** The name ConfigureExchangeHybridApplication.ps1 and the Hybrid Configuration Wizard give the application. */
export function hybridApplicationName(organizationGuid: string): string {
  return `ExchangeServerApp-${organizationGuid}`;
}

/** What the probe found: the application (null when the org has none), or why it could not be read. */
export type HybridAppView =
  | { readonly name: string; readonly application: Application | null; readonly problem?: undefined }
  | { readonly name: string | null; readonly application?: undefined; readonly problem: string };

/** Finds the org's dedicated hybrid application from Get-OrganizationConfig's row, its keys read by id. */
export async function readHybridApplication(
  graph: GraphPort,
  organizationConfig: Row | undefined,
): Promise<HybridAppView> {
  const guid = typeof organizationConfig?.Guid === 'string' ? organizationConfig.Guid : '';
  if (!guid) return { name: null, problem: 'Get-OrganizationConfig showed no organization GUID.' };
  const name = hybridApplicationName(guid);
  const found = await graph.findApplication(name);
  if (!found) return { name, application: null };
  const withKeys = await graph.send({
    method: 'GET',
    path: `/applications/${encodeURIComponent(found.id)}?$select=keyCredentials`,
    body: null,
  });
  return { name, application: { ...found, keyCredentials: parseKeyCredentials(withKeys) } };
}
