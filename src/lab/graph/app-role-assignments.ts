/** `/v1.0/servicePrincipals/{id}/appRoleAssignments`: the application permissions granted to a client (admin consent). */
import { isoSeconds } from '../../core/time';
import type { LabAppRoleAssignment, LabServicePrincipal, LabState } from '../state';
import {
  appRoleNotFound,
  assignmentExists,
  invalidProperties,
  methodNotAllowed,
  resourceNotFound,
} from './faults';
import type { LabResponse } from './http';
import { newAppRoleAssignmentId } from './ids';
import { bodyObject, type LabGraphRequest, type ResourceContext } from './resource';

const CONTEXT = 'https://graph.microsoft.com/v1.0/$metadata#appRoleAssignments';

/** GET lists the client's assignments; POST grants one app role of a resource service principal. */
export function handleAppRoleAssignments(
  ctx: ResourceContext,
  req: LabGraphRequest,
  client: LabServicePrincipal,
): LabResponse {
  if (req.method === 'GET') {
    const value = assignmentsOf(ctx.state, client);
    return {
      status: 200,
      body: {
        '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#servicePrincipals('${client.id}')/appRoleAssignments`,
        value,
      },
    };
  }
  if (req.method === 'POST') return grant(ctx, client, req.body);
  throw methodNotAllowed();
}

/** The app role assignments granted to a client, as Graph lists (and `$expand`s) them. */
export function assignmentsOf(state: LabState, client: LabServicePrincipal): Record<string, unknown>[] {
  return state.tenant.appRoleAssignments
    .filter((assignment) => assignment.principalId === client.id)
    .map((assignment) => view(state, assignment));
}

function grant(ctx: ResourceContext, client: LabServicePrincipal, body: unknown): LabResponse {
  const { principalId, resourceId, appRoleId } = bodyObject(body);
  if (typeof principalId !== 'string' || typeof resourceId !== 'string' || typeof appRoleId !== 'string') {
    throw invalidProperties();
  }
  // Through this path the assignment is the client's own: its id must be the principal.
  if (principalId.toLowerCase() !== client.id.toLowerCase()) throw invalidProperties();
  const tenant = ctx.state.tenant;
  const resource = tenant.servicePrincipals.find((sp) => sp.id.toLowerCase() === resourceId.toLowerCase());
  if (!resource) throw resourceNotFound(resourceId);
  const role = resource.appRoles.find(
    (r) =>
      r.id.toLowerCase() === appRoleId.toLowerCase() &&
      r.isEnabled &&
      r.allowedMemberTypes.includes('Application'),
  );
  if (!role) throw appRoleNotFound();
  const exists = tenant.appRoleAssignments.some(
    (a) => a.principalId === client.id && a.resourceId === resource.id && a.appRoleId === role.id,
  );
  if (exists) throw assignmentExists();
  const assignment: LabAppRoleAssignment = {
    id: newAppRoleAssignmentId(),
    principalId: client.id,
    resourceId: resource.id,
    appRoleId: role.id,
    createdDateTime: isoSeconds(ctx.clock.now()),
  };
  tenant.appRoleAssignments.push(assignment);
  ctx.persist();
  return { status: 201, body: { '@odata.context': `${CONTEXT}/$entity`, ...view(ctx.state, assignment) } };
}

/** An assignment as Graph returns it, with the display names of both service principals. */
function view(state: LabState, assignment: LabAppRoleAssignment): Record<string, unknown> {
  const name = (id: string) => state.tenant.servicePrincipals.find((sp) => sp.id === id)?.displayName ?? null;
  return {
    id: assignment.id,
    deletedDateTime: null,
    appRoleId: assignment.appRoleId,
    createdDateTime: assignment.createdDateTime,
    principalDisplayName: name(assignment.principalId),
    principalId: assignment.principalId,
    principalType: 'ServicePrincipal',
    resourceDisplayName: name(assignment.resourceId),
    resourceId: assignment.resourceId,
  };
}
