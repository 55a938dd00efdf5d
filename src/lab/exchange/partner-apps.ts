/** Partner applications: New/Get/Set/Remove-PartnerApplication. */
import type { PartnerApplication } from '../state';
import { type CmdletContext, type CmdletHandler, requireAnyUser } from './context';
import { duplicatePartnerApplication, nameInUse, objectNotFound } from './errors';
import { hasWildcard, sameName, wildcardMatch } from './names';
import { partnerApplicationOutput } from './shapes';

function requirePartnerApp(ctx: CmdletContext, identity: string): PartnerApplication {
  const app = ctx.state.org.partnerApplications.find((a) => sameName(a.name, identity));
  if (!app) throw objectNotFound(ctx.cmdlet, identity, ctx.dc);
  return app;
}

/** Rejects a second app with the same ApplicationIdentifier and Realm (ignoring `self` when editing). */
function checkUniqueAppId(ctx: CmdletContext, appId: string, realm: string, self?: PartnerApplication): void {
  const clash = ctx.state.org.partnerApplications.find(
    (a) => a !== self && sameName(a.applicationIdentifier, appId) && sameName(a.realm, realm),
  );
  if (clash) throw duplicatePartnerApplication(ctx.cmdlet, appId, realm, clash.name);
}

/** -LinkedAccount: a user identity, or an empty value to clear the link. */
function linkedAccount(ctx: CmdletContext): string | null | undefined {
  const identity = ctx.params.string('LinkedAccount');
  if (identity === undefined) return undefined;
  if (identity === '' || identity.toLowerCase() === '$null') return null;
  return requireAnyUser(ctx, identity).name;
}

/** New-PartnerApplication: registers an application that may call Exchange with OAuth. */
export const newPartnerApplication: CmdletHandler = (ctx) => {
  const org = ctx.state.org;
  const name = ctx.params.requireString('Name');
  const authMetadataUrl = ctx.params.string('AuthMetadataUrl') ?? null;
  // The two parameter sets: by ApplicationIdentifier (tokens come through an auth server) or by metadata URL.
  const appId = authMetadataUrl === null ? ctx.params.requireString('ApplicationIdentifier') : '';
  const realm = ctx.params.string('Realm') ?? '';
  const linked = linkedAccount(ctx) ?? null;
  if (org.partnerApplications.some((a) => sameName(a.name, name))) throw nameInUse(ctx.cmdlet, name);
  if (authMetadataUrl === null) checkUniqueAppId(ctx, appId, realm);

  const app: PartnerApplication = {
    name,
    applicationIdentifier: appId,
    realm,
    enabled: ctx.params.bool('Enabled') ?? true,
    linkedAccount: linked,
    authMetadataUrl,
    useAuthServer: authMetadataUrl === null,
    acceptSecurityIdentifierInformation: ctx.params.bool('AcceptSecurityIdentifierInformation') ?? false,
  };
  org.partnerApplications.push(app);
  return [partnerApplicationOutput(app, ctx.state)];
};

/** Get-PartnerApplication: one application by name, a wildcard match, or all. */
export const getPartnerApplication: CmdletHandler = (ctx) => {
  const apps = ctx.state.org.partnerApplications;
  const identity = ctx.params.string('Identity');
  if (identity === undefined) return apps.map((a) => partnerApplicationOutput(a, ctx.state));
  if (hasWildcard(identity)) {
    return apps
      .filter((a) => wildcardMatch(identity, a.name))
      .map((a) => partnerApplicationOutput(a, ctx.state));
  }
  return [partnerApplicationOutput(requirePartnerApp(ctx, identity), ctx.state)];
};

/** Set-PartnerApplication: edits an application found by name. */
export const setPartnerApplication: CmdletHandler = (ctx) => {
  const org = ctx.state.org;
  const app = requirePartnerApp(ctx, ctx.params.requireString('Identity'));
  const enabled = ctx.params.bool('Enabled');
  const accept = ctx.params.bool('AcceptSecurityIdentifierInformation');
  const linked = linkedAccount(ctx);
  const newName = ctx.params.string('Name');
  const appId = ctx.params.string('ApplicationIdentifier') ?? app.applicationIdentifier;
  const realm = ctx.params.string('Realm') ?? app.realm;
  if (
    newName !== undefined &&
    !sameName(newName, app.name) &&
    org.partnerApplications.some((a) => sameName(a.name, newName))
  ) {
    throw nameInUse(ctx.cmdlet, newName);
  }
  if (ctx.params.has('ApplicationIdentifier') || ctx.params.has('Realm'))
    checkUniqueAppId(ctx, appId, realm, app);

  if (enabled !== undefined) app.enabled = enabled;
  if (accept !== undefined) app.acceptSecurityIdentifierInformation = accept;
  if (linked !== undefined) app.linkedAccount = linked;
  if (newName !== undefined) app.name = newName;
  app.applicationIdentifier = appId;
  app.realm = realm;
  return [];
};

/** Remove-PartnerApplication: deletes an application found by name. */
export const removePartnerApplication: CmdletHandler = (ctx) => {
  const org = ctx.state.org;
  const app = requirePartnerApp(ctx, ctx.params.requireString('Identity'));
  org.partnerApplications = org.partnerApplications.filter((a) => a !== app);
  return [];
};
