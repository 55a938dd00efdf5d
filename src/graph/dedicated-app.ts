/**
 * The dedicated Exchange hybrid application as Entra holds it, read through a GraphPort: the application named
 * `ExchangeServerApp-<organization GUID>`, its keys (with their bytes, so a PATCH can send them back), its service
 * principal, the full_access_as_app role of Office 365 Exchange Online (resolved from the resource's appRoles) and
 * whether it is granted. One module for every feature that needs them (plans, verify, rotation, watch).
 */
import type {
  Application,
  AppRoleAssignment,
  KeyCredential,
  ResolvedAppRole,
  ServicePrincipal,
} from '../core/entra';
import type { GraphPort } from '../core/ports';
import { sameText } from '../core/text';
import { grantsRole } from './app-roles';
import { parseKeyCredentials } from './parse';

/** Office 365 Exchange Online: the resource whose application permission the dedicated app is granted. */
export const EXCHANGE_ONLINE_RESOURCE = '00000002-0000-0ff1-ce00-000000000000';
/** The application permission the dedicated app needs on Exchange Online (EWS, free/busy, MailTips, photos). */
export const FULL_ACCESS_AS_APP = 'full_access_as_app';
/** The tags ConfigureExchangeHybridApplication.ps1 puts on the application's service principal. */
export const HYBRID_APP_TAGS = ['WindowsAzureActiveDirectoryIntegratedApp', 'HideApp'] as const;
/** The notes the script writes on the application. */
export const HYBRID_APP_NOTES =
  'Used by Exchange Server as part of the hybrid configuration to enable hybrid features such as Free/Busy, ' +
  'MailTips, and Profile Picture sharing between Exchange Server and Exchange Online.';

/** `ExchangeServerApp-<organization GUID>`: the name the script and the wizard find the application by. */
export function dedicatedAppName(organizationGuid: string): string {
  return `ExchangeServerApp-${organizationGuid.toLowerCase()}`;
}

/** What Entra holds of the dedicated application; null where absent. */
export interface DedicatedAppState {
  readonly displayName: string;
  /** The application, its keyCredentials with their bytes. */
  readonly application: Application | null;
  readonly servicePrincipal: ServicePrincipal | null;
  /** full_access_as_app on the Exchange Online resource; null when the resource defines none. */
  readonly fullAccess: ResolvedAppRole | null;
  /** The role's grant to the application's service principal (admin consent), when given. */
  readonly consent: AppRoleAssignment | null;
}

type Reader = Pick<
  GraphPort,
  'send' | 'findApplication' | 'readServicePrincipals' | 'findAppRole' | 'listAppRoleAssignments'
>;

/** The application's keyCredentials read by id, so their `key` bytes come back (list reads leave them null). */
export async function readApplicationKeys(
  graph: Pick<GraphPort, 'send'>,
  id: string,
): Promise<KeyCredential[]> {
  return parseKeyCredentials(
    await graph.send({
      method: 'GET',
      path: `/applications/${encodeURIComponent(id)}?$select=keyCredentials`,
      body: null,
    }),
  );
}

/** The full_access_as_app role, resolved from the Exchange Online resource's appRoles. */
export function readFullAccessRole(graph: Pick<GraphPort, 'findAppRole'>): Promise<ResolvedAppRole | null> {
  return graph.findAppRole(EXCHANGE_ONLINE_RESOURCE, FULL_ACCESS_AS_APP);
}

/** Reads the dedicated application of the organization; `role` when already resolved. */
export async function readDedicatedApp(
  graph: Reader,
  organizationGuid: string,
  role?: ResolvedAppRole | null,
): Promise<DedicatedAppState> {
  const displayName = dedicatedAppName(organizationGuid);
  const [found, fullAccess] = await Promise.all([
    graph.findApplication(displayName),
    role === undefined ? readFullAccessRole(graph) : Promise.resolve(role),
  ]);
  if (!found) return { displayName, application: null, servicePrincipal: null, fullAccess, consent: null };
  const [keys, principals] = await Promise.all([
    readApplicationKeys(graph, found.id),
    graph.readServicePrincipals([found.appId]),
  ]);
  const application = { ...found, keyCredentials: keys };
  const servicePrincipal = principals[found.appId] ?? null;
  const assignments = servicePrincipal ? await graph.listAppRoleAssignments(servicePrincipal.id) : [];
  const consent = (fullAccess && assignments.find((a) => grantsRole(a, fullAccess))) ?? null;
  return { displayName, application, servicePrincipal, fullAccess, consent };
}

/** Whether the application asks for the role as an application permission (requiredResourceAccess). */
export function hasPermission(application: Application, role: ResolvedAppRole): boolean {
  return application.requiredResourceAccess.some(
    (entry) =>
      sameText(entry.resourceAppId, role.resourceAppId) &&
      entry.resourceAccess.some((access) => sameText(access.id, role.appRoleId) && access.type === 'Role'),
  );
}

/** The application's unexpired key for a certificate thumbprint, if it has one. */
export function keyFor(
  keys: readonly KeyCredential[],
  thumbprint: string,
  now: Date,
): KeyCredential | undefined {
  return keys.find(
    (key) =>
      sameText(key.customKeyIdentifier ?? '', thumbprint) && Date.parse(key.endDateTime) >= now.getTime(),
  );
}
