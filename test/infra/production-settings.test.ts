/** The settings the Azure template gives the production bot: where its store is, and how it signs in to Graph. */
import { ClientAssertionCredential, ManagedIdentityCredential } from '@azure/identity';
import { loadConfig } from '../../src/config/load-config';
import { loadProductionSettings } from '../../src/config/production-settings';
import { startTelemetry } from '../../src/config/telemetry';
import { graphClientOptions } from '../../src/graph/graph-credential';

const ORG = {
  HYBRIDOPS_GRAPH_CLIENT_ID: '6b0c3c0e-3d1c-4a55-9a45-4f1d2c3b4a59',
  HYBRIDOPS_RELAY_AGENT_ID: 'ex01',
  HYBRIDOPS_ORG_DOMAIN: 'contoso.com',
  HYBRIDOPS_ORG_DC: 'dc01.contoso.com',
};
const PEM =
  '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n';
const IDENTITY = '9a1c2b3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d';
const TENANT = '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b';

describe('the store on App Service', () => {
  const onAppService = { WEBSITE_INSTANCE_ID: 'a1b2c3' };

  it('refuses a SQLite file under /home, the network share where SQLite’s write-ahead log does not work', () => {
    expect(() => loadConfig({ ...onAppService, HYBRIDOPS_DB: '/home/data/hybridops.db' })).toThrow(
      'Set HYBRIDOPS_DB to a postgres:// URL: /home/data/hybridops.db is a SQLite file on App Service',
    );
  });

  it('takes PostgreSQL there, and a SQLite file under /home anywhere but App Service', () => {
    const url =
      'postgres://hybridops:pw@hybridops.postgres.database.azure.com:5432/hybridops?sslmode=require';
    expect(loadConfig({ ...onAppService, HYBRIDOPS_DB: url }).dbPath).toBe(url);
    expect(loadConfig({ HYBRIDOPS_DB: '/home/alex/hybridops.db' }).dbPath).toBe('/home/alex/hybridops.db');
  });
});

describe('the Graph credential of the production bot', () => {
  it('takes the certificate as PEM text, as a Key Vault reference gives it', () => {
    const settings = loadProductionSettings({ ...ORG, HYBRIDOPS_GRAPH_CERTIFICATE: PEM });
    expect(settings.graphCredential).toEqual({ kind: 'certificate', pem: PEM });
    const options = graphClientOptions({
      tenantId: TENANT,
      clientId: settings.graphClientId,
      credential: settings.graphCredential,
      graphUrl: null,
      authorityHost: null,
    });
    expect(options.certificatePem).toBe(PEM);
  });

  it('signs in as the managed identity, or as an app that trusts it (workload identity federation)', () => {
    const managed = loadProductionSettings({ ...ORG, HYBRIDOPS_GRAPH_MANAGED_IDENTITY: 'true' });
    const federated = loadProductionSettings({ ...ORG, HYBRIDOPS_GRAPH_FEDERATED_IDENTITY: IDENTITY });
    expect(federated.graphCredential).toEqual({ kind: 'federated', managedIdentityClientId: IDENTITY });
    const optionsOf = (credential: typeof managed.graphCredential) =>
      graphClientOptions({
        tenantId: TENANT,
        clientId: ORG.HYBRIDOPS_GRAPH_CLIENT_ID,
        credential,
        graphUrl: 'https://graph.microsoft.us/',
        authorityHost: 'https://login.microsoftonline.us',
      });
    expect(optionsOf(managed.graphCredential).credential).toBeInstanceOf(ManagedIdentityCredential);
    const options = optionsOf(federated.graphCredential);
    expect(options.credential).toBeInstanceOf(ClientAssertionCredential);
    expect(options.baseUrl).toBe('https://graph.microsoft.us/');
  });

  it('takes an empty setting as unset, as the template gives the credentials it does not use', () => {
    const settings = loadProductionSettings({
      ...ORG,
      HYBRIDOPS_GRAPH_CERTIFICATE: '',
      HYBRIDOPS_GRAPH_MANAGED_IDENTITY: '',
      HYBRIDOPS_GRAPH_FEDERATED_IDENTITY: IDENTITY,
    });
    expect(settings.graphCredential.kind).toBe('federated');
  });

  it('says when the certificate is a Key Vault reference App Service could not resolve', () => {
    const unresolved =
      '@Microsoft.KeyVault(SecretUri=https://hybridops.vault.azure.net/secrets/graph-certificate/)';
    expect(() => loadProductionSettings({ ...ORG, HYBRIDOPS_GRAPH_CERTIFICATE: unresolved })).toThrow(
      /Set HYBRIDOPS_GRAPH_CERTIFICATE: not a PEM certificate and key; .*Key Vault reference App Service could not resolve/,
    );
  });

  it('asks for exactly one credential', () => {
    expect(() => loadProductionSettings(ORG)).toThrow('Set exactly one Graph credential');
    expect(() =>
      loadProductionSettings({
        ...ORG,
        HYBRIDOPS_GRAPH_CERTIFICATE: PEM,
        HYBRIDOPS_GRAPH_CLIENT_SECRET: 's',
      }),
    ).toThrow('Set exactly one Graph credential');
  });
});

describe('Application Insights', () => {
  it('stays off, and unloaded, without APPLICATIONINSIGHTS_CONNECTION_STRING', () => {
    expect(startTelemetry({})).toBe('off');
    expect(Object.keys(require.cache).some((file) => file.includes('monitor-opentelemetry'))).toBe(false);
  });

  it('is the Azure Monitor distro, which loads as CommonJS', () => {
    const distro = require('@azure/monitor-opentelemetry') as typeof import('@azure/monitor-opentelemetry');
    expect(typeof distro.useAzureMonitor).toBe('function');
    expect(typeof distro.shutdownAzureMonitor).toBe('function');
  });
});
