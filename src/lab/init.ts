/** Builds a fresh simulated org: Exchange as setup (and optionally the Hybrid Configuration Wizard) leaves it. */
import { randomUUID } from 'node:crypto';
import { CodedError } from '../core/errors';
import { isoSeconds } from '../core/time';
import {
  ACS_ISSUER,
  AUTH_CERT_FRIENDLY_NAME,
  builtInRoles,
  builtInServicePrincipals,
  EXCHANGE_ONLINE_APP_ACCOUNT,
  EXCHANGE_ONLINE_APP_ID,
  EXCHANGE_ONLINE_PARTNER_APP_NAME,
} from './builtins';
import { type CreatedCertificate, createAuthCertificate } from './certificates';
import { acsMetadataUrl, CLOUD_ENDPOINTS, evoStsMetadataUrl } from './clouds';
import { canonicalIdentity, distinguishedName } from './exchange/names';
import { latestAuthAdminRun } from './exchange/servicelets';
import { addDedicatedHybridApp, addSharedPrincipalKey } from './init-hybrid-app';
import { buildServers, type LabServerSpec } from './servers';
import { type Cloud, type LabState, labStateSchema } from './state';

export interface CreateLabStateOptions {
  /** The org's primary SMTP domain and AD domain. */
  readonly domain?: string;
  readonly tenantId?: string;
  /** The Exchange organization's GUID; random by default. */
  readonly organizationGuid?: string;
  readonly cloud?: Cloud;
  /** Validity of the auth certificate from now. */
  readonly certDays?: number;
  readonly now: Date;
  /** Whether Exchange↔Exchange Online OAuth (the runbooks' step 1) is already in place. */
  readonly hybridOAuth?: boolean;
  /** The auth certificate's key on the shared Exchange Online service principal, as the wizard uploads it (needs hybridOAuth). */
  readonly sharedPrincipalKey?: boolean;
  /** The dedicated Exchange hybrid application already deployed (needs hybridOAuth). */
  readonly dedicatedApp?: boolean;
  /** The Exchange servers; default one Mailbox server EX01 on Exchange 2019 CU15 with the April 2025 HU. */
  readonly servers?: readonly LabServerSpec[];
  /** Simulates a build whose New-MailUser has no -ApplicationAccount switch. */
  readonly rejectsApplicationAccount?: boolean;
  readonly latencyMs?: number;
  /** `on-premises`: Test-OAuthConnectivity ignores the Entra side (see docs/lab.md). */
  readonly oauthTestScope?: 'end-to-end' | 'on-premises';
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** The mailbox with an Out of Office reply that the Cloud Voicemail verification calls. */
export const TEST_MAILBOX_NAME = 'Adele Vance';

/** Creates a fresh lab state: servers, auth certificate, built-in roles and partner app, optional hybrid OAuth, tenant. */
export async function createLabState(options: CreateLabStateOptions): Promise<LabState> {
  const hybridOAuth = options.hybridOAuth ?? true;
  if (!hybridOAuth && (options.dedicatedApp || options.sharedPrincipalKey)) {
    throw new CodedError(
      'BAD_INPUT',
      'A lab without hybrid OAuth has neither a key on the shared principal nor a dedicated hybrid application.',
    );
  }
  // Valid from a day ago so a lab created "now" is already valid on a slightly skewed clock.
  const cert = await createAuthCertificate({
    notBefore: new Date(options.now.getTime() - DAY_MS),
    notAfter: new Date(options.now.getTime() + (options.certDays ?? 1825) * DAY_MS),
  });
  const state = baseState(options, cert, hybridOAuth);
  if (options.sharedPrincipalKey) addSharedPrincipalKey(state, cert);
  if (options.dedicatedApp) addDedicatedHybridApp(state, cert, options.now);
  // Parsing what we built catches drift between this builder and the schema the file loader enforces.
  return labStateSchema.parse(state);
}

function baseState(options: CreateLabStateOptions, cert: CreatedCertificate, hybridOAuth: boolean): LabState {
  const domain = (options.domain ?? 'contoso.com').toLowerCase();
  const tenantId = options.tenantId ?? randomUUID();
  const label = domain.split('.')[0] ?? domain;
  const servers = buildServers(options.servers ?? [{ name: 'EX01' }], domain, [cert.thumbprint]);
  return {
    version: 1,
    org: {
      organizationName: label,
      domain,
      domainControllers: [`dc01.${domain}`],
      organizationGuid: options.organizationGuid ?? randomUUID(),
      exchange: {
        rejectsApplicationAccount: options.rejectsApplicationAccount ?? false,
        latencyMs: options.latencyMs ?? 0,
        oauthTestScope: options.oauthTestScope ?? 'end-to-end',
        authAdminLastRunAt: isoSeconds(latestAuthAdminRun(options.now)),
      },
      servers,
      localServer: servers.find((server) => server.role === 'Mailbox')?.name ?? '',
      acceptedDomains: [
        { name: domain, domainName: domain, domainType: 'Authoritative', default: true },
        // The hybrid mail flow's coexistence (routing) domain, which the wizard adds.
        {
          name: `${label}.mail.onmicrosoft.com`,
          domainName: `${label}.mail.onmicrosoft.com`,
          domainType: 'Authoritative',
          default: false,
        },
      ],
      ...directory(domain, options.now, hybridOAuth),
      ...hybridObjects(domain, tenantId, hybridOAuth, options.cloud),
      authConfig: {
        serviceName: EXCHANGE_ONLINE_APP_ID,
        realm: '',
        currentCertificateThumbprint: cert.thumbprint,
        previousCertificateThumbprint: null,
        nextCertificateThumbprint: null,
        nextCertificateEffectiveDate: null,
      },
      certificates: [
        {
          thumbprint: cert.thumbprint,
          subject: cert.subject,
          friendlyName: AUTH_CERT_FRIENDLY_NAME,
          notBefore: cert.notBefore,
          notAfter: cert.notAfter,
          services: ['SMTP'],
          derBase64: cert.derBase64,
        },
      ],
      certificatePrivateKeys: { [cert.thumbprint]: cert.privateKeyPem },
      settingOverrides: [],
      commandLog: [],
    },
    tenant: {
      tenantId,
      initialDomain: `${label}.onmicrosoft.com`,
      cloud: options.cloud ?? 'Global',
      servicePrincipals: builtInServicePrincipals(randomUUID),
      applications: [],
      appRoleAssignments: [],
      requestLog: [],
    },
  };
}

type Org = LabState['org'];

/** Directory objects setup creates: the Exchange Online application account, roles, partner app, test mailbox. */
function directory(
  domain: string,
  now: Date,
  hybridOAuth: boolean,
): Pick<
  Org,
  | 'mailUsers'
  | 'users'
  | 'managementRoles'
  | 'roleAssignments'
  | 'partnerApplications'
  | 'autoReplyConfigurations'
> {
  return {
    mailUsers: [],
    users: [
      {
        name: EXCHANGE_ONLINE_APP_ACCOUNT,
        guid: randomUUID(),
        distinguishedName: distinguishedName(EXCHANGE_ONLINE_APP_ACCOUNT, domain),
        whenCreated: isoSeconds(now),
      },
    ],
    managementRoles: builtInRoles(),
    // Setup assigns the application roles to the account linked to the Exchange Online partner app.
    roleAssignments: ['UserApplication', 'ArchiveApplication'].map((role) => ({
      name: `${role}-${EXCHANGE_ONLINE_APP_ACCOUNT}`,
      role,
      user: EXCHANGE_ONLINE_APP_ACCOUNT,
      enabled: true,
    })),
    partnerApplications: [
      {
        name: EXCHANGE_ONLINE_PARTNER_APP_NAME,
        applicationIdentifier: EXCHANGE_ONLINE_APP_ID,
        realm: '',
        // Setup creates it disabled; the Hybrid Configuration Wizard enables it.
        enabled: hybridOAuth,
        linkedAccount: EXCHANGE_ONLINE_APP_ACCOUNT,
        authMetadataUrl: null,
        useAuthServer: true,
        acceptSecurityIdentifierInformation: true,
      },
    ],
    autoReplyConfigurations: [
      {
        identity: canonicalIdentity(TEST_MAILBOX_NAME, domain),
        primarySmtpAddress: `AdeleV@${domain}`,
        autoReplyState: 'Enabled',
        internalMessage: 'I am out of the office until Monday. For urgent matters, call the service desk.',
        externalMessage: 'Thank you for your message. I am out of the office until Monday.',
      },
    ],
  };
}

/** The auth servers and connector the Hybrid Configuration Wizard creates (named with the tenant id in the lab). */
function hybridObjects(
  domain: string,
  tenantId: string,
  hybridOAuth: boolean,
  cloud: Cloud = 'Global',
): Pick<Org, 'authServers' | 'intraOrganizationConnectors'> {
  if (!hybridOAuth) return { authServers: [], intraOrganizationConnectors: [] };
  const coexistence = `${domain.split('.')[0] ?? domain}.mail.onmicrosoft.com`;
  return {
    authServers: [
      {
        name: `EvoSts - ${tenantId}`,
        type: 'AzureAD',
        authMetadataUrl: evoStsMetadataUrl(cloud, domain),
        issuerIdentifier: `https://sts.windows.net/${tenantId}/`,
        realm: tenantId,
        enabled: true,
        applicationIdentifier: null,
        domainName: [coexistence],
      },
      {
        name: `ACS - ${tenantId}`,
        type: 'MicrosoftACS',
        authMetadataUrl: acsMetadataUrl(cloud, tenantId),
        issuerIdentifier: ACS_ISSUER,
        realm: tenantId,
        enabled: true,
        applicationIdentifier: null,
        domainName: [coexistence, domain],
      },
    ],
    intraOrganizationConnectors: [
      {
        name: `HybridIOC - ${tenantId}`,
        enabled: true,
        discoveryEndpoint: CLOUD_ENDPOINTS[cloud].discoveryEndpoint,
        targetAddressDomains: [coexistence],
      },
    ],
  };
}
