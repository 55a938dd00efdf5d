/** GraphPort over the real Microsoft Graph client: reads by `$batch`, keys uploaded the seed's way, the hybrid app's objects. */
import type { Client } from '@microsoft/microsoft-graph-client';
import type {
  Application,
  ApplicationKeyUploadResult,
  AppRoleAssignment,
  AuthCertificate,
  Ensured,
  KeyRemovalResult,
  KeyUploadResult,
  NewApplication,
  RequiredResourceAccess,
  ResolvedAppRole,
  ServicePrincipal,
  TaggedServicePrincipal,
  VerificationDirectory,
} from '../core/entra';
import type { Clock, GraphPort, GraphRequest } from '../core/ports';
import * as roles from './app-roles';
import * as apps from './applications';
import { type BatchAnswer, type BatchItem, sendBatch } from './batch';
import { GraphError } from './errors';
import { type KeyHolder, removeKeys, uploadKey } from './key-holders';
import { keptKeyCredential } from './key-upload';
import { parseFirstServicePrincipal, parseKeyCredentials, parseServicePrincipal } from './parse';
import { GraphRequests, odataString } from './requests';
import { MAX_RETRIES, type Sleep } from './retry';
import { principalItems, principalsFrom, readVerificationDirectory, SP_SELECT } from './verification-reads';

export { SP_SELECT } from './verification-reads';

export interface MsGraphPortOptions {
  readonly client: Client;
  readonly clock: Clock;
  /**
   * Throttling: retries after the first try (default 3), passed to the client's RetryHandler on every call,
   * and the wait between `$batch` rounds for throttled inner requests (default setTimeout).
   */
  readonly retry?: { readonly maxRetries?: number; readonly sleep?: Sleep };
}

const wait: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The engine's GraphPort over a Graph client; every call is retried under one throttling policy. */
export class MsGraphPort implements GraphPort {
  private readonly requests: GraphRequests;
  private readonly clock: Clock;
  private readonly sleep: Sleep;

  constructor(options: MsGraphPortOptions) {
    this.clock = options.clock;
    this.requests = new GraphRequests(
      options.client,
      options.clock,
      options.retry?.maxRetries ?? MAX_RETRIES,
    );
    this.sleep = options.retry?.sleep ?? wait;
  }

  /**
   * Reads several service principals by appId in `$batch` requests of up to 20; null where none exists. Each is
   * read as one object (`/servicePrincipals(appId='…')`), so its keys come with their bytes, as a plan that keeps
   * them in a keyCredentials PATCH needs.
   */
  async readServicePrincipals(appIds: readonly string[]): Promise<Record<string, ServicePrincipal | null>> {
    const unique = [...new Set(appIds)];
    return principalsFrom(unique, await this.sendBatch(principalItems(unique)));
  }

  /** The service principals and the dedicated application a verification checks, in one `$batch` (usually). */
  readVerificationDirectory(
    appIds: readonly string[],
    dedicatedAppName: string | null,
  ): Promise<VerificationDirectory> {
    return readVerificationDirectory(
      this.requests,
      (items) => this.sendBatch(items),
      appIds,
      dedicatedAppName,
    );
  }

  /** Sends one request of a saved plan exactly as given. */
  send(request: GraphRequest): Promise<unknown> {
    return this.requests.send(request.method, request.path, request.body);
  }

  /** Uploads the certificate's public key: keeps unexpired keys, drops expired ones, skips a present thumbprint. */
  async uploadAuthCertificate(appId: string, certificate: AuthCertificate): Promise<KeyUploadResult> {
    const sp = await this.findByAppId(appId);
    const outcome = await uploadKey(this.keyHolder(sp), certificate, this.clock.now());
    const servicePrincipal = outcome.written
      ? await this.readById(sp.id)
      : { ...sp, keyCredentials: outcome.keys };
    return { ...outcome.plan, servicePrincipal };
  }

  /** Removes expired keys, sending every unexpired one back with its bytes; no PATCH when none has expired. */
  async removeExpiredKeys(appId: string): Promise<ServicePrincipal> {
    const sp = await this.findByAppId(appId);
    const holder = this.keyHolder(sp);
    const keys = await holder.readKeys();
    const keep = keys.filter((key) => Date.parse(key.endDateTime) >= this.clock.now().getTime());
    if (keep.length === keys.length) return { ...sp, keyCredentials: keys };
    await holder.writeKeys({ keyCredentials: keep.map(keptKeyCredential) });
    return this.readById(sp.id);
  }

  /** Removes the keys with these thumbprints, keeping every other key; no PATCH when none of them is there. */
  async removeServicePrincipalKeys(appId: string, thumbprints: readonly string[]): Promise<KeyRemovalResult> {
    const sp = await this.findByAppId(appId);
    const { removed, written } = await removeKeys(this.keyHolder(sp), thumbprints);
    return { removed, servicePrincipal: written ? await this.readById(sp.id) : sp };
  }

  /** Replaces the service principal's servicePrincipalNames and returns it as read back. */
  async setServicePrincipalNames(appId: string, names: readonly string[]): Promise<ServicePrincipal> {
    const sp = await this.findByAppId(appId);
    await this.requests.patch(spPath(sp.id), { servicePrincipalNames: [...names] });
    return this.readById(sp.id);
  }

  /** The application with this display name, or null (GRAPH_AMBIGUOUS_APPLICATION when several have it). */
  findApplication(displayName: string): Promise<Application | null> {
    return apps.findApplication(this.requests, displayName);
  }

  /** Creates a single-tenant application. */
  createApplication(application: NewApplication): Promise<Application> {
    return apps.createApplication(this.requests, application);
  }

  /** Adds permissions to the application's requiredResourceAccess, keeping the others; nothing sent when all are there. */
  addRequiredResourceAccess(appId: string, access: RequiredResourceAccess): Promise<Ensured<Application>> {
    return apps.addRequiredResourceAccess(this.requests, appId, access);
  }

  /** Uploads the certificate to the application's keyCredentials, as to a service principal's. */
  uploadApplicationCertificate(
    appId: string,
    certificate: AuthCertificate,
  ): Promise<ApplicationKeyUploadResult> {
    return apps.uploadApplicationCertificate(this.requests, appId, certificate, this.clock.now());
  }

  /** The application's service principal, created (then tagged) when absent; missing tags added. */
  ensureServicePrincipal(appId: string, tags: readonly string[]): Promise<Ensured<TaggedServicePrincipal>> {
    return roles.ensureServicePrincipal(this.requests, appId, tags);
  }

  /** An application permission of the resource service principal, by value; null when it defines none such. */
  findAppRole(resourceAppId: string, value: string): Promise<ResolvedAppRole | null> {
    return roles.findAppRole(this.requests, resourceAppId, value);
  }

  /** The app role assignments granted to a service principal. */
  listAppRoleAssignments(principalId: string): Promise<AppRoleAssignment[]> {
    return roles.listAppRoleAssignments(this.requests, principalId);
  }

  /** Grants the role (admin consent) unless it is granted already. */
  grantAppRole(principalId: string, role: ResolvedAppRole): Promise<Ensured<AppRoleAssignment>> {
    return roles.grantAppRole(this.requests, principalId, role);
  }

  /** A service principal's keys: listed without bytes, read by id with them, written whole. */
  private keyHolder(sp: ServicePrincipal): KeyHolder {
    return {
      listed: sp.keyCredentials,
      readKeys: async () =>
        parseKeyCredentials(await this.requests.get(spPath(sp.id), { $select: 'keyCredentials' })),
      writeKeys: (body) => this.requests.patch(spPath(sp.id), body),
    };
  }

  /** Sends GETs as `$batch` requests, inner requests Graph throttled sent again; a failed `$batch` as a GraphError. */
  private sendBatch(items: readonly BatchItem[]): Promise<Map<string, BatchAnswer>> {
    const { client, maxRetries } = this.requests;
    return this.requests.call(() => sendBatch(client, { maxRetries, sleep: this.sleep }, this.clock, items));
  }

  private async findByAppId(appId: string): Promise<ServicePrincipal> {
    const body = await this.requests.get('/servicePrincipals', {
      $filter: appIdFilter(appId),
      $select: SP_SELECT,
    });
    const sp = parseFirstServicePrincipal(body);
    if (sp === null) {
      throw new GraphError('GRAPH_SERVICE_PRINCIPAL_NOT_FOUND', `No service principal has appId ${appId}.`, {
        status: 404,
        graphCode: null,
      });
    }
    return sp;
  }

  private async readById(id: string): Promise<ServicePrincipal> {
    return parseServicePrincipal(await this.requests.get(spPath(id), { $select: SP_SELECT }));
  }
}

function spPath(id: string): string {
  return `/servicePrincipals/${encodeURIComponent(id)}`;
}

/** `appId eq '…'`, with quotes doubled as OData string literals require. */
function appIdFilter(appId: string): string {
  return `appId eq ${odataString(appId)}`;
}
