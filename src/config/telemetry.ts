/**
 * Application Insights through OpenTelemetry (the Azure Monitor distro), on when
 * APPLICATIONINSIGHTS_CONNECTION_STRING is set (App Service sets it from the template). Importing this module
 * starts it: the production entry imports it first, because the distro instruments http and the other
 * modules it knows as they load. Without the variable nothing of it is loaded.
 */

/** Whether telemetry was started, for the entry to say so in its first log line. */
export const telemetry: 'application-insights' | 'off' = startTelemetry(process.env);

/** Starts the Azure Monitor distro when the connection string is set; returns what it did. */
export function startTelemetry(env: NodeJS.ProcessEnv): 'application-insights' | 'off' {
  const connectionString = env.APPLICATIONINSIGHTS_CONNECTION_STRING?.trim();
  if (!connectionString) return 'off';
  // A synchronous require, so that it runs before the modules it instruments are loaded.
  const { useAzureMonitor } =
    require('@azure/monitor-opentelemetry') as typeof import('@azure/monitor-opentelemetry');
  useAzureMonitor({ azureMonitorExporterOptions: { connectionString } });
  return 'application-insights';
}

/** Flushes and stops telemetry, if it was started. */
export async function stopTelemetry(): Promise<void> {
  if (telemetry === 'off') return;
  const { shutdownAzureMonitor } =
    require('@azure/monitor-opentelemetry') as typeof import('@azure/monitor-opentelemetry');
  await shutdownAzureMonitor();
}
