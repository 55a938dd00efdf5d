/** A GraphPort that hands every call to another one, for wrappers that replace only a few methods. */
import type { GraphPort } from '../core/ports';

/** Every method of `graph`, each a plain function calling it (so the result can be spread and partly overridden). */
export function delegatingGraphPort(graph: GraphPort): GraphPort {
  const removeExpiredKeys = graph.removeExpiredKeys?.bind(graph);
  return {
    send: (request) => graph.send(request),
    readServicePrincipals: (appIds) => graph.readServicePrincipals(appIds),
    readVerificationDirectory: (appIds, dedicatedAppName) =>
      graph.readVerificationDirectory(appIds, dedicatedAppName),
    uploadAuthCertificate: (appId, certificate) => graph.uploadAuthCertificate(appId, certificate),
    setServicePrincipalNames: (appId, names) => graph.setServicePrincipalNames(appId, names),
    ...(removeExpiredKeys ? { removeExpiredKeys } : {}),
    removeServicePrincipalKeys: (appId, thumbprints) => graph.removeServicePrincipalKeys(appId, thumbprints),
    findApplication: (displayName) => graph.findApplication(displayName),
    createApplication: (application) => graph.createApplication(application),
    addRequiredResourceAccess: (appId, access) => graph.addRequiredResourceAccess(appId, access),
    uploadApplicationCertificate: (appId, certificate) =>
      graph.uploadApplicationCertificate(appId, certificate),
    ensureServicePrincipal: (appId, tags) => graph.ensureServicePrincipal(appId, tags),
    findAppRole: (resourceAppId, value) => graph.findAppRole(resourceAppId, value),
    listAppRoleAssignments: (principalId) => graph.listAppRoleAssignments(principalId),
    grantAppRole: (principalId, role) => graph.grantAppRole(principalId, role),
  };
}
