/** The lab's Entra token endpoint (client credentials) and the bearer-token check its Graph side applies. */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../core/ports';
import { verifyClientAssertion } from './assertion';
import { GraphFault, type LabResponse } from './http';

export const GRAPH_AUDIENCE = 'https://graph.microsoft.com';
const LIFETIME_SECONDS = 3600;
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export interface TokenServiceOptions {
  readonly tenantId: string;
  readonly initialDomain: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** PEM of a certificate the app may also authenticate with (client assertion). */
  readonly clientCertificatePem?: string;
  readonly clock: Clock;
  /** The server's base URL with a trailing slash, known only once it listens. */
  readonly baseUrl: () => string;
}

interface AccessTokenClaims {
  readonly aud: string;
  readonly tid: string;
  readonly appid: string;
  readonly exp: number;
}

/** Issues and checks the lab's access tokens: HS256 JWTs signed with a per-server secret. */
export class LabTokenService {
  private readonly secret = randomBytes(32);

  constructor(private readonly options: TokenServiceOptions) {}

  /** Whether `tenant` (from the URL) names this lab tenant. */
  knowsTenant(tenant: string): boolean {
    const t = tenant.toLowerCase();
    return t === this.options.tenantId.toLowerCase() || t === this.options.initialDomain.toLowerCase();
  }

  /** The OpenID metadata MSAL reads before asking for a token. */
  openIdConfiguration(tenant: string): LabResponse {
    if (!this.knowsTenant(tenant)) return this.tenantNotFound(tenant);
    const base = `${this.options.baseUrl()}${this.options.tenantId}`;
    return {
      status: 200,
      body: {
        issuer: `${base}/v2.0`,
        token_endpoint: `${base}/oauth2/v2.0/token`,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        end_session_endpoint: `${base}/oauth2/v2.0/logout`,
        jwks_uri: `${base}/discovery/v2.0/keys`,
        token_endpoint_auth_methods_supported: [
          'client_secret_post',
          'private_key_jwt',
          'client_secret_basic',
        ],
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        tenant_region_scope: 'EU',
      },
    };
  }

  /** Answers `POST /{tenant}/oauth2/v2.0/token` for the client-credentials grant. */
  token(tenant: string, form: URLSearchParams): LabResponse {
    if (!this.knowsTenant(tenant)) return this.tenantNotFound(tenant);
    const o = this.options;
    if (form.get('grant_type') !== 'client_credentials') {
      return this.aadError(
        400,
        'unsupported_grant_type',
        70003,
        'The app requested an unsupported grant type.',
      );
    }
    const clientId = form.get('client_id') ?? '';
    if (clientId !== o.clientId) {
      return this.aadError(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${o.initialDomain}'.`,
      );
    }
    const scope = form.get('scope') ?? '';
    if (!scope.split(' ').includes(`${GRAPH_AUDIENCE}/.default`)) {
      return this.aadError(
        400,
        'invalid_scope',
        1002012,
        `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      );
    }
    const denied = this.checkClientCredential(form);
    if (denied !== null) return denied;
    return {
      status: 200,
      body: {
        token_type: 'Bearer',
        expires_in: LIFETIME_SECONDS,
        ext_expires_in: LIFETIME_SECONDS,
        access_token: this.issue(),
      },
    };
  }

  /** Checks a Graph request's Authorization header; throws Graph's 401 when it does not carry a valid token. */
  verify(authorization: string | undefined): void {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (match?.[1] === undefined) throw unauthorized('Access token is empty.');
    const parts = match[1].split('.');
    const [header, payload, signature] = parts;
    if (parts.length !== 3 || header === undefined || payload === undefined || signature === undefined) {
      throw unauthorized('IDX14100: JWT is not well formed, there are no dots (.).');
    }
    const expected = this.sign(`${header}.${payload}`);
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw unauthorized('Access token validation failure.');
    }
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as AccessTokenClaims;
    if (claims.aud !== GRAPH_AUDIENCE || claims.tid !== this.options.tenantId) {
      throw unauthorized('Access token validation failure. Invalid audience.');
    }
    if (claims.exp * 1000 <= this.options.clock.now().getTime()) {
      throw unauthorized('Lifetime validation failed, the token is expired.');
    }
  }

  private checkClientCredential(form: URLSearchParams): LabResponse | null {
    const o = this.options;
    const secret = form.get('client_secret');
    if (secret !== null) {
      if (secret === o.clientSecret) return null;
      return this.aadError(
        401,
        'invalid_client',
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${o.clientId}'.`,
      );
    }
    const assertion = form.get('client_assertion');
    if (assertion !== null && form.get('client_assertion_type') === ASSERTION_TYPE) {
      const problem =
        o.clientCertificatePem === undefined
          ? 'The application has no certificate credential.'
          : verifyClientAssertion(assertion, {
              certificatePem: o.clientCertificatePem,
              clientId: o.clientId,
              audience: `${o.baseUrl()}${o.tenantId}/oauth2/v2.0/token`,
            });
      if (problem === null) return null;
      return this.aadError(
        401,
        'invalid_client',
        700027,
        `Client assertion failed signature validation. ${problem}`,
      );
    }
    return this.aadError(
      401,
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    );
  }

  private issue(): string {
    const nowSeconds = Math.floor(this.options.clock.now().getTime() / 1000);
    const header = encode({ alg: 'HS256', typ: 'JWT' });
    const payload = encode({
      aud: GRAPH_AUDIENCE,
      iss: `https://sts.windows.net/${this.options.tenantId}/`,
      tid: this.options.tenantId,
      appid: this.options.clientId,
      idtyp: 'app',
      roles: ['Application.ReadWrite.All'],
      iat: nowSeconds,
      nbf: nowSeconds,
      exp: nowSeconds + LIFETIME_SECONDS,
      uti: randomUUID(),
    });
    return `${header}.${payload}.${this.sign(`${header}.${payload}`).toString('base64url')}`;
  }

  private sign(data: string): Buffer {
    return createHmac('sha256', this.secret).update(data).digest();
  }

  private tenantNotFound(tenant: string): LabResponse {
    return this.aadError(
      400,
      'invalid_request',
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
    );
  }

  /** Entra's OAuth error body: the AADSTS code leads the description, as MSAL shows it to the caller. */
  private aadError(status: number, error: string, code: number, text: string): LabResponse {
    const traceId = randomUUID();
    const correlationId = randomUUID();
    const timestamp = `${this.options.clock.now().toISOString().slice(0, 19).replace('T', ' ')}Z`;
    return {
      status,
      body: {
        error,
        error_description: `AADSTS${code}: ${text} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
        error_codes: [code],
        timestamp,
        trace_id: traceId,
        correlation_id: correlationId,
        error_uri: `${this.options.baseUrl()}error?code=${code}`,
      },
    };
  }
}

function unauthorized(message: string): GraphFault {
  return new GraphFault(401, 'InvalidAuthenticationToken', message, {
    'www-authenticate': `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`,
  });
}

function encode(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
