/**
 * Probing the dedicated Exchange hybrid application (`ExchangeServerApp-<organization GUID>`): found by display
 * name once Get-OrganizationConfig gave the GUID, then read by id so its keys come with their bytes (a list read
 * omits them, and a keyCredentials PATCH must send every kept key back).
 */
import type { Application } from '../core/entra';
import type { GraphPort } from '../core/ports';
import { type DedicatedAppState, dedicatedAppName, readApplicationKeys } from '../graph/dedicated-app';

type Row = Record<string, unknown>;

/** What the probe found: the application (null when the org has none), or why it could not be read. */
export type HybridAppView =
  | { readonly name: string; readonly application: Application | null; readonly problem?: undefined }
  | { readonly name: string | null; readonly application?: undefined; readonly problem: string };

/** The view of an application the dedicated-app reads already found. */
export function hybridAppViewOf(state: DedicatedAppState): HybridAppView {
  return { name: state.displayName, application: state.application };
}

/** Finds the org's dedicated hybrid application from Get-OrganizationConfig's row, its keys read by id. */
export async function readHybridApplication(
  graph: Pick<GraphPort, 'findApplication' | 'send'>,
  organizationConfig: Row | undefined,
): Promise<HybridAppView> {
  const guid = typeof organizationConfig?.Guid === 'string' ? organizationConfig.Guid : '';
  if (!guid) return { name: null, problem: 'Get-OrganizationConfig showed no organization GUID.' };
  const name = dedicatedAppName(guid);
  const found = await graph.findApplication(name);
  if (!found) return { name, application: null };
  return { name, application: { ...found, keyCredentials: await readApplicationKeys(graph, found.id) } };
}
