/** GraphPort over the real Microsoft Graph client: reads by `$batch`, uploads the auth certificate the seed's way. */
import type { Client } from '@microsoft/microsoft-graph-client';
import type { AuthCertificate, KeyUploadResult, ServicePrincipal } from '../core/entra';
import type { Clock, GraphPort } from '../core/ports';
import { type BatchItem, sendBatch } from './batch';
import { fromGraphBody, GraphError, toGraphError } from './errors';
import { buildKeyCredentialsPatch, keptKeyCredential, planKeyUpload } from './key-upload';
import { parseFirstServicePrincipal, parseKeyCredentials, parseServicePrincipal } from './parse';
import { MAX_RETRIES, readRetry, type Sleep, writeRetry } from './retry';

/** The properties every service principal read asks for. */
export const SP_SELECT = 'id,appId,displayName,servicePrincipalNames,keyCredentials';

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
  private readonly client: Client;
  private readonly clock: Clock;
  private readonly maxRetries: number;
  private readonly sleep: Sleep;

  constructor(options: MsGraphPortOptions) {
    this.client = options.client;
    this.clock = options.clock;
    this.maxRetries = options.retry?.maxRetries ?? MAX_RETRIES;
    this.sleep = options.retry?.sleep ?? wait;
  }

  /** Reads several service principals by appId in `$batch` requests of up to 20; null where none exists. */
  async readServicePrincipals(appIds: readonly string[]): Promise<Record<string, ServicePrincipal | null>> {
    const unique = [...new Set(appIds)];
    const items: BatchItem[] = unique.map((appId, index) => ({
      id: String(index + 1),
      method: 'GET',
      url: `/servicePrincipals?$filter=${encodeURIComponent(appIdFilter(appId))}&$select=${SP_SELECT}`,
    }));
    const answers = await this.call(() =>
      sendBatch(this.client, { maxRetries: this.maxRetries, sleep: this.sleep }, this.clock, items),
    );
    const result: Record<string, ServicePrincipal | null> = {};
    unique.forEach((appId, index) => {
      const answer = answers.get(String(index + 1));
      if (answer === undefined || answer.status < 200 || answer.status >= 300) {
        throw fromGraphBody(answer?.status ?? 500, answer?.body);
      }
      result[appId] = parseFirstServicePrincipal(answer.body);
    });
    return result;
  }

  /** Uploads the certificate's public key: keeps unexpired keys, drops expired ones, skips a present thumbprint. */
  async uploadAuthCertificate(appId: string, certificate: AuthCertificate): Promise<KeyUploadResult> {
    const sp = await this.findByAppId(appId);
    const first = planKeyUpload(sp.keyCredentials, certificate, this.clock.now());
    if (first.change === 'none') return { ...first, servicePrincipal: sp };
    // List reads return key = null, and the PATCH replaces the whole collection: kept keys need their bytes,
    // which Graph returns only for GET by id with $select=keyCredentials.
    const keys = parseKeyCredentials(
      await this.get(`/servicePrincipals/${encodeURIComponent(sp.id)}`, { $select: 'keyCredentials' }),
    );
    const plan = planKeyUpload(keys, certificate, this.clock.now());
    if (plan.change === 'none') return { ...plan, servicePrincipal: { ...sp, keyCredentials: keys } };
    await this.patch(sp.id, buildKeyCredentialsPatch(plan, certificate));
    return { ...plan, servicePrincipal: await this.readById(sp.id) };
  }

  /** Removes expired keys, sending every unexpired one back with its bytes; no PATCH when none has expired. */
  async removeExpiredKeys(appId: string): Promise<ServicePrincipal> {
    const sp = await this.findByAppId(appId);
    const keys = parseKeyCredentials(
      await this.get(`/servicePrincipals/${encodeURIComponent(sp.id)}`, { $select: 'keyCredentials' }),
    );
    const keep = keys.filter((key) => Date.parse(key.endDateTime) >= this.clock.now().getTime());
    if (keep.length === keys.length) return { ...sp, keyCredentials: keys };
    await this.patch(sp.id, { keyCredentials: keep.map(keptKeyCredential) });
    return this.readById(sp.id);
  }

  /** Replaces the service principal's servicePrincipalNames and returns it as read back. */
  async setServicePrincipalNames(appId: string, names: readonly string[]): Promise<ServicePrincipal> {
    const sp = await this.findByAppId(appId);
    await this.patch(sp.id, { servicePrincipalNames: [...names] });
    return this.readById(sp.id);
  }

  private async findByAppId(appId: string): Promise<ServicePrincipal> {
    const body = await this.get('/servicePrincipals', { $filter: appIdFilter(appId), $select: SP_SELECT });
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
    return parseServicePrincipal(
      await this.get(`/servicePrincipals/${encodeURIComponent(id)}`, { $select: SP_SELECT }),
    );
  }

  private get(path: string, query: Record<string, string>): Promise<unknown> {
    return this.call(() =>
      this.client
        .api(path)
        .query(query)
        .middlewareOptions([readRetry(this.maxRetries)])
        .get(),
    );
  }

  private async patch(id: string, body: object): Promise<void> {
    await this.call(() =>
      this.client
        .api(`/servicePrincipals/${encodeURIComponent(id)}`)
        .middlewareOptions([writeRetry(this.maxRetries)])
        .patch(body),
    );
  }

  /** Runs one client call (the RetryHandler has retried it); what it throws comes out as a GraphError. */
  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw toGraphError(error, this.clock.now());
    }
  }
}

/** `appId eq '…'`, with quotes doubled as OData string literals require. */
function appIdFilter(appId: string): string {
  return `appId eq '${appId.replace(/'/g, "''")}'`;
}
