/**
 * Microsoft Graph's error answers the lab gives, in one place. "Read" texts come from Microsoft's documentation
 * or issue threads quoting Graph; "secondary" ones from public scripts and threads that test for them; "inferred"
 * ones follow Graph's wording for a case whose exact text was not found (docs/lab.md lists which is which).
 */
import { GraphFault } from './http';

/** An object id (or alternate key) that names nothing. Secondary (quoted in many threads). */
export function resourceNotFound(id: string): GraphFault {
  return new GraphFault(
    404,
    'Request_ResourceNotFound',
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );
}

/** A path the lab does not serve. */
export function segmentNotFound(segment: string): GraphFault {
  return new GraphFault(400, 'BadRequest', `Resource not found for the segment '${segment}'.`);
}

export function methodNotAllowed(): GraphFault {
  return new GraphFault(
    405,
    'Request_BadRequest',
    'Specified HTTP method is not allowed for the request target.',
  );
}

export function emptyPayload(): GraphFault {
  return new GraphFault(400, 'BadRequest', 'Empty Payload. JSON content expected.');
}

/** A property Graph doesn't have on the type, or the lab doesn't let a client write. */
export function unknownProperty(name: string, type: string): GraphFault {
  return new GraphFault(
    400,
    'BadRequest',
    `The property '${name}' does not exist on type 'microsoft.graph.${type}' or cannot be updated in the lab.`,
  );
}

/** Graph's answer to a body whose values don't fit the type. Read (microsoft-graph-docs issue #6694). */
export function invalidProperties(): GraphFault {
  return new GraphFault(400, 'Request_BadRequest', 'One or more properties are invalid.');
}

/** A second service principal for the same application. Secondary (Request_MultipleObjectsWithSameKeyValue, 409). */
export function servicePrincipalExists(appId: string): GraphFault {
  return new GraphFault(
    409,
    'Request_MultipleObjectsWithSameKeyValue',
    `The service principal cannot be created, updated, or restored because the service principal name ${appId} is already in use.`,
  );
}

/** A service principal for an appId that no application has. Inferred. */
export function noApplicationForAppId(appId: string): GraphFault {
  return new GraphFault(
    400,
    'Request_BadRequest',
    `The appId '${appId}' of the service principal does not reference a valid application object.`,
  );
}

/** The same app role granted twice. Secondary (public scripts test for this text). */
export function assignmentExists(): GraphFault {
  return new GraphFault(400, 'Request_BadRequest', 'Permission being assigned already exists on the object');
}

/** An appRoleId the resource doesn't define. Secondary. */
export function appRoleNotFound(): GraphFault {
  return new GraphFault(400, 'Request_BadRequest', 'Permission being assigned was not found on application.');
}
