/** Builds a fresh simulated org: Exchange as setup (and optionally the Hybrid Configuration Wizard) leaves it. */
import { randomUUID } from 'node:crypto';
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
import { createAuthCertificate } from './certificates';
import { canonicalIdentity, distinguishedName } from './exchange/names';
import { type LabState, labStateSchema } from './state';

export interface CreateLabStateOptions {
  /** The org's primary SMTP domain and AD domain. */
  readonly domain?: string;
  readonly tenantId?: string;
  /** Validity of the auth certificate from now. */
  readonly certDays?: number;
  readonly now: Date;
  /** Whether Exchange↔Exchange Online OAuth (the runbooks' step 1) is already in place. */
  readonly hybridOAuth?: boolean;
  /** Simulates a build whose New-MailUser has no -ApplicationAccount switch. */
  readonly rejectsApplicationAccount?: boolean;
  readonly latencyMs?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** The mailbox with an Out of Office reply that the Cloud Voicemail verification calls. */
export const TEST_MAILBOX_NAME = 'Adele Vance';

/** Creates a fresh lab state: auth certificate, built-in roles and partner app, optional hybrid OAuth, tenant. */
export async function createLabState(options: CreateLabStateOptions): Promise<LabState> {
  const domain = (options.domain ?? 'contoso.com').toLowerCase();
  const tenantId = options.tenantId ?? randomUUID();
  const hybridOAuth = options.hybridOAuth ?? true;
  const now = options.now;
  const firstLabel = domain.split('.')[0] ?? domain;
  const created = isoSeconds(now);

  // Valid from a day ago so a lab created "now" is already valid on a slightly skewed clock.
  const cert = await createAuthCertificate({
    notBefore: new Date(now.getTime() - DAY_MS),
    notAfter: new Date(now.getTime() + (options.certDays ?? 1825) * DAY_MS),
  });

  const state: LabState = {
    version: 1,
    org: {
      organizationName: firstLabel,
      domain,
      domainControllers: [`dc01.${domain}`],
      exchange: {
        adminDisplayVersion: 'Version 15.2 (Build 1544.4)',
        rejectsApplicationAccount: options.rejectsApplicationAccount ?? false,
        latencyMs: options.latencyMs ?? 0,
      },
      mailUsers: [],
      users: [
        {
          name: EXCHANGE_ONLINE_APP_ACCOUNT,
          guid: randomUUID(),
          distinguishedName: distinguishedName(EXCHANGE_ONLINE_APP_ACCOUNT, domain),
          whenCreated: created,
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
      authServers: hybridOAuth
        ? [
            {
              name: `EvoSts - ${tenantId}`,
              type: 'AzureAD',
              authMetadataUrl: `https://login.windows.net/${domain}/federationmetadata/2007-06/federationmetadata.xml`,
              issuerIdentifier: `https://sts.windows.net/${tenantId}/`,
              realm: tenantId,
              enabled: true,
            },
            {
              name: `ACS - ${tenantId}`,
              type: 'MicrosoftACS',
              authMetadataUrl: `https://accounts.accesscontrol.windows.net/${tenantId}/metadata/json/1`,
              issuerIdentifier: ACS_ISSUER,
              realm: tenantId,
              enabled: true,
            },
          ]
        : [],
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
      autoReplyConfigurations: [
        {
          identity: canonicalIdentity(TEST_MAILBOX_NAME, domain),
          primarySmtpAddress: `AdeleV@${domain}`,
          autoReplyState: 'Enabled',
          internalMessage: 'I am out of the office until Monday. For urgent matters, call the service desk.',
          externalMessage: 'Thank you for your message. I am out of the office until Monday.',
        },
      ],
      intraOrganizationConnectors: hybridOAuth
        ? [
            {
              name: `HybridIOC - ${tenantId}`,
              enabled: true,
              discoveryEndpoint: 'https://autodiscover-s.outlook.com/autodiscover/autodiscover.svc',
              targetAddressDomains: [`${firstLabel}.mail.onmicrosoft.com`],
            },
          ]
        : [],
      commandLog: [],
    },
    tenant: {
      tenantId,
      initialDomain: `${firstLabel}.onmicrosoft.com`,
      servicePrincipals: builtInServicePrincipals(randomUUID),
      requestLog: [],
    },
  };
  // Parsing what we built catches drift between this builder and the schema the file loader enforces.
  return labStateSchema.parse(state);
}
