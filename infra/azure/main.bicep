// hybridops in Azure, for one org or many: the bot and relay hub on App Service (Linux, Node 22, at least two
// instances, `npm start` from the built package, health check on /healthz), its store on Azure Database for
// PostgreSQL flexible server, its secrets in Key Vault (read through Key Vault references by the bot's
// user-assigned managed identity), Application Insights through OpenTelemetry, and the Azure Bot
// registration (msaAppType UserAssignedMSI: no bot password anywhere) with the Microsoft Teams channel.
// Deploy and operate: infra/README.md.

@description('Prefix of every resource name.')
@minLength(3)
@maxLength(12)
param name string = 'hybridops'

param location string = resourceGroup().location

@description('Entra tenant of the bot, the admins and (with graphCredential managedIdentity) the org.')
param tenantId string = subscription().tenantId

@description('App Service instances; two or more, so that one can restart while the other serves.')
@minValue(2)
@maxValue(10)
param instanceCount int = 2

@description('App Service plan size (Premium v3 keeps Always On and the health check on every instance).')
@allowed(['P0v3', 'P1v3', 'P2v3'])
param planSku string = 'P0v3'

@description('Teams team id of the admin team (19:…@thread.tacv2 of its General channel); empty with orgsFile.')
param adminTeamId string = ''

@description('Channel id of the admin channel where changes are requested and approved; empty with orgsFile.')
param adminChannelId string = ''

@description('Comma-separated Entra object ids of the operators (may plan and request); empty with orgsFile.')
param operators string = ''

@description('Comma-separated Entra object ids of the approvers (may approve; never their own request); empty with orgsFile.')
param approvers string = ''

@description('How the bot signs in to Microsoft Graph: an app certificate kept in Key Vault; the bot\'s managed identity itself (only for an org in the bot\'s own tenant); or an app that trusts the managed identity (workload identity federation).')
@allowed(['certificate', 'managedIdentity', 'federatedIdentity'])
param graphCredential string = 'certificate'

@description('Application (client) id of the Graph app (Application.ReadWrite.All); not used with managedIdentity.')
param graphClientId string = ''

@description('Name of the Key Vault certificate (PEM content type) the Graph app signs in with.')
param graphCertificateName string = 'graph-certificate'

@description('Id of the relay agent next to Exchange (hybridops agents add --id …); empty with orgsFile.')
param relayAgentId string = ''

@description('The verified domain of the Exchange org, e.g. contoso.com; empty with orgsFile.')
param orgDomain string = ''

@description('FQDN of the domain controller the Exchange commands name; empty with orgsFile.')
param orgDc string = ''

@description('Many orgs: the orgs file on the site\'s persistent share (e.g. /home/data/orgs.json, written with hybridops orgs add); empty for the one org of the parameters above.')
param orgsFile string = ''

@description('Many orgs: each org\'s Graph certificate, as the app setting the orgs file names (--graph-certificate-setting) and the Key Vault certificate it refers to, e.g. [{ "setting": "GRAPH_CERT_FABRIKAM", "certificate": "graph-fabrikam" }].')
param orgCertificates array = []

@allowed(['teams', 'sfb-online', 'sfb-online-2019', 'sfb-legacy'])
param orgRunbook string = 'teams'

@description('Administrator login of the PostgreSQL server.')
param postgresAdminLogin string = 'hybridops'

@secure()
@minLength(16)
@description('Administrator password of the PostgreSQL server; the template keeps it only in the Key Vault secret hybridops-db.')
param postgresAdminPassword string

@description('Entra object id that may manage the vault\'s certificates and secrets (the deploying admin); empty for none.')
param keyVaultAdministratorObjectId string = ''

var suffix = uniqueString(resourceGroup().id)
var databaseName = 'hybridops'
// Built-in role definition ids.
var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'
var keyVaultAdministrator = '00482a5a-887f-4fb3-b363-3b7fe8e74483'
var monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${name}-bot'
  location: location
}

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${name}-logs-${suffix}'
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

// Ingestion takes Entra tokens only (disableLocalAuth), so the connection string in the app settings is an
// address, not a credential: the bot's identity sends telemetry with the Monitoring Metrics Publisher role.
resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${name}-insights-${suffix}'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'Node.JS'
    WorkspaceResourceId: workspace.id
    DisableLocalAuth: true
  }
}

resource insightsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(insights.id, identity.id, monitoringMetricsPublisher)
  scope: insights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: take('${name}-${suffix}', 24)
  location: location
  properties: {
    tenantId: tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
  }
}

resource vaultReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource vaultAdministrator 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(keyVaultAdministratorObjectId)) {
  name: guid(vault.id, keyVaultAdministratorObjectId, keyVaultAdministrator)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultAdministrator)
    principalId: keyVaultAdministratorObjectId
  }
}

resource postgres 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: '${name}-pg-${suffix}'
  location: location
  sku: {
    name: 'Standard_B1ms'
    tier: 'Burstable'
  }
  properties: {
    version: '16'
    administratorLogin: postgresAdminLogin
    administratorLoginPassword: postgresAdminPassword
    storage: {
      storageSizeGB: 32
    }
    backup: {
      backupRetentionDays: 7
      geoRedundantBackup: 'Disabled'
    }
    highAvailability: {
      mode: 'Disabled'
    }
    network: {
      publicNetworkAccess: 'Enabled'
    }
    authConfig: {
      passwordAuth: 'Enabled'
      activeDirectoryAuth: 'Disabled'
    }
  }
}

resource database 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2024-08-01' = {
  parent: postgres
  name: databaseName
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
}

// 0.0.0.0 to 0.0.0.0 is Azure's rule for "Azure services": the App Service's outbound addresses. TLS is
// required by the server (require_secure_transport is on by default) and by the URL (sslmode=require).
resource postgresFromAzure 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2024-08-01' = {
  parent: postgres
  name: 'AllowAzureServices'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
}

resource databaseUrl 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'hybridops-db'
  properties: {
    contentType: 'text/uri'
    value: 'postgres://${uriComponent(postgresAdminLogin)}:${uriComponent(postgresAdminPassword)}@${postgres.properties.fullyQualifiedDomainName}:5432/${database.name}?sslmode=require'
  }
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: '${name}-plan'
  location: location
  kind: 'linux'
  sku: {
    name: planSku
    capacity: instanceCount
  }
  properties: {
    reserved: true
  }
}

var keyVaultReference = '@Microsoft.KeyVault(SecretUri=${vault.properties.vaultUri}secrets/'

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: '${name}-${suffix}'
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      // Node 22 LTS: Node 20 left support in April 2026, and the Azure Monitor OpenTelemetry distro needs 22.
      linuxFxVersion: 'NODE|22-lts'
      appCommandLine: 'npm start'
      alwaysOn: true
      webSocketsEnabled: true
      http20Enabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      healthCheckPath: '/healthz'
      appSettings: [
        // The built package is deployed as is (infra/README.md): nothing is built on App Service.
        { name: 'SCM_DO_BUILD_DURING_DEPLOYMENT', value: 'false' }
        { name: 'WEBSITE_RUN_FROM_PACKAGE', value: '1' }
        { name: 'MICROSOFT_APP_TYPE', value: 'UserAssignedMSI' }
        { name: 'MICROSOFT_APP_ID', value: identity.properties.clientId }
        { name: 'MICROSOFT_APP_TENANT_ID', value: tenantId }
        { name: 'HYBRIDOPS_TENANT_ID', value: tenantId }
        { name: 'HYBRIDOPS_ADMIN_TEAM_ID', value: adminTeamId }
        { name: 'HYBRIDOPS_ADMIN_CHANNEL_ID', value: adminChannelId }
        { name: 'HYBRIDOPS_OPERATORS', value: operators }
        { name: 'HYBRIDOPS_APPROVERS', value: approvers }
        {
          name: 'HYBRIDOPS_GRAPH_CLIENT_ID'
          value: graphCredential == 'managedIdentity' ? identity.properties.clientId : graphClientId
        }
        {
          name: 'HYBRIDOPS_GRAPH_CERTIFICATE'
          value: graphCredential == 'certificate' ? '${keyVaultReference}${graphCertificateName}/)' : ''
        }
        { name: 'HYBRIDOPS_GRAPH_MANAGED_IDENTITY', value: graphCredential == 'managedIdentity' ? 'true' : '' }
        {
          name: 'HYBRIDOPS_GRAPH_FEDERATED_IDENTITY'
          value: graphCredential == 'federatedIdentity' ? identity.properties.clientId : ''
        }
        { name: 'HYBRIDOPS_RELAY_AGENT_ID', value: relayAgentId }
        { name: 'HYBRIDOPS_ORG_DOMAIN', value: orgDomain }
        { name: 'HYBRIDOPS_ORG_DC', value: orgDc }
        { name: 'HYBRIDOPS_ORG_RUNBOOK', value: orgRunbook }
        { name: 'HYBRIDOPS_ORGS', value: orgsFile }
        { name: 'HYBRIDOPS_DB', value: '${keyVaultReference}${databaseUrl.name}/)' }
        // The relay's signing key: made once by the first instance (exclusive create) on the persistent
        // /home share, which every instance sees. It is one small file read at start, not a database.
        { name: 'HYBRIDOPS_RELAY_KEY', value: '/home/data/relay-signing-key.pem' }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
        {
          name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
          value: 'Authorization=AAD;ClientId=${identity.properties.clientId}'
        }
        { name: 'LOG_LEVEL', value: 'info' }
      ]
    }
  }
  dependsOn: [
    // Key Vault references resolve only once the identity may read the vault.
    vaultReader
    insightsPublisher
  ]
}

// Many orgs: each org's Graph certificate joins the site's settings as a Key Vault reference, under the name
// the orgs file gives it. The settings above are read back and kept; a re-deployment sets both again.
resource siteSettings 'Microsoft.Web/sites/config@2023-12-01' existing = {
  parent: site
  name: 'appsettings'
}

resource orgCertificateSettings 'Microsoft.Web/sites/config@2023-12-01' = if (!empty(orgCertificates)) {
  parent: site
  name: 'appsettings'
  properties: union(
    siteSettings.list().properties,
    toObject(orgCertificates, org => org.setting, org => '${keyVaultReference}${org.certificate}/)')
  )
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: name
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: 'S1'
  }
  properties: {
    displayName: 'hybridops'
    endpoint: 'https://${site.properties.defaultHostName}/api/messages'
    msaAppId: identity.properties.clientId
    msaAppType: 'UserAssignedMSI'
    msaAppTenantId: tenantId
    msaAppMSIResourceId: identity.id
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}

@description('Where Teams sends activities.')
output messagingEndpoint string = bot.properties.endpoint

@description('What relay agents dial (hybridops agents add --hub …).')
output relayUrl string = 'wss://${site.properties.defaultHostName}/relay'

@description('The App Service app (az webapp deploy --name …).')
output siteName string = site.name

@description('The bot\'s app id in the Teams app manifest (npm run package with MICROSOFT_APP_ID).')
output botAppId string = identity.properties.clientId

@description('The managed identity\'s object id: grant it Graph\'s Application.ReadWrite.All with graphCredential managedIdentity, or trust it from the Graph app with federatedIdentity.')
output botPrincipalId string = identity.properties.principalId

@description('The vault that holds the Graph certificate and the database URL.')
output keyVaultName string = vault.name
