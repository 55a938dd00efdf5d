// The bot's home in Azure: an App Service (Linux, Node 20) running `npm start` (bot + relay hub on one
// port, WebSockets on for /relay, the SQLite store under /home, which App Service keeps across restarts)
// and the Azure Bot registration with the Microsoft Teams channel pointing at it.
// Deploy: az deployment group create -g RG -f infra/azure/main.bicep -p @infra/azure/parameters.example.json

@description('Prefix of every resource name.')
param name string = 'hybridops'

param location string = resourceGroup().location

@description('Entra tenant of the bot and of the admins.')
param tenantId string = subscription().tenantId

@description('Application (client) id of the bot\'s single-tenant app registration.')
param botAppId string

@secure()
@description('Client secret of the bot\'s app registration.')
param botAppPassword string

@description('Teams team id of the admin team (19:…@thread.tacv2 of its General channel).')
param adminTeamId string

@description('Channel id of the admin channel where changes are requested and approved.')
param adminChannelId string

@description('Comma-separated Entra object ids of the operators (may plan and request).')
param operators string

@description('Comma-separated Entra object ids of the approvers (may approve; never their own request).')
param approvers string

@description('Application (client) id the bot uses for Microsoft Graph (Application.ReadWrite.All).')
param graphClientId string

@secure()
@description('Client secret for Graph; prefer a certificate file placed under /home and HYBRIDOPS_GRAPH_CERTIFICATE_FILE.')
param graphClientSecret string

@description('Id of the relay agent next to Exchange (hybridops agents add --id …).')
param relayAgentId string

@description('The verified domain of the Exchange org, e.g. contoso.com.')
param orgDomain string

@description('FQDN of the domain controller the Exchange commands name.')
param orgDc string

@allowed(['teams', 'sfb-online', 'sfb-online-2019', 'sfb-legacy'])
param orgRunbook string = 'teams'

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${name}-plan'
  location: location
  kind: 'linux'
  sku: {
    name: 'B1'
    tier: 'Basic'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: '${name}-${uniqueString(resourceGroup().id)}'
  location: location
  kind: 'app,linux'
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      appCommandLine: 'npm start'
      alwaysOn: true
      webSocketsEnabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: [
        { name: 'SCM_DO_BUILD_DURING_DEPLOYMENT', value: 'true' }
        { name: 'MICROSOFT_APP_ID', value: botAppId }
        { name: 'MICROSOFT_APP_PASSWORD', value: botAppPassword }
        { name: 'MICROSOFT_APP_TENANT_ID', value: tenantId }
        { name: 'MICROSOFT_APP_TYPE', value: 'SingleTenant' }
        { name: 'HYBRIDOPS_TENANT_ID', value: tenantId }
        { name: 'HYBRIDOPS_ADMIN_TEAM_ID', value: adminTeamId }
        { name: 'HYBRIDOPS_ADMIN_CHANNEL_ID', value: adminChannelId }
        { name: 'HYBRIDOPS_OPERATORS', value: operators }
        { name: 'HYBRIDOPS_APPROVERS', value: approvers }
        { name: 'HYBRIDOPS_GRAPH_CLIENT_ID', value: graphClientId }
        { name: 'HYBRIDOPS_GRAPH_CLIENT_SECRET', value: graphClientSecret }
        { name: 'HYBRIDOPS_RELAY_AGENT_ID', value: relayAgentId }
        { name: 'HYBRIDOPS_ORG_DOMAIN', value: orgDomain }
        { name: 'HYBRIDOPS_ORG_DC', value: orgDc }
        { name: 'HYBRIDOPS_ORG_RUNBOOK', value: orgRunbook }
        { name: 'HYBRIDOPS_DB', value: '/home/data/hybridops.db' }
        { name: 'HYBRIDOPS_RELAY_KEY', value: '/home/data/relay-signing-key.pem' }
        { name: 'LOG_LEVEL', value: 'info' }
      ]
    }
  }
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: name
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: 'F0'
  }
  properties: {
    displayName: 'hybridops'
    endpoint: 'https://${site.properties.defaultHostName}/api/messages'
    msaAppId: botAppId
    msaAppType: 'SingleTenant'
    msaAppTenantId: tenantId
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
