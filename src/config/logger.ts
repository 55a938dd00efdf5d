/** One pino logger for the process; components take child loggers from it. Secrets are redacted in every line. */
import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Keys whose values are secrets: HTTP credentials (pino-http logs request and response headers), the bot's and
 * Graph's client secrets, relay agent secrets and signing keys, private keys, tokens and passwords.
 */
const SECRET_KEYS = [
  'authorization',
  'cookie',
  'password',
  'appPassword',
  'MicrosoftAppPassword',
  'MICROSOFT_APP_PASSWORD',
  'clientSecret',
  'client_secret',
  'graphClientSecret',
  'HYBRIDOPS_GRAPH_CLIENT_SECRET',
  'HYBRIDOPS_GRAPH_CERTIFICATE',
  'pem',
  'secret',
  'agentSecret',
  'HYBRIDOPS_RELAY_KEY',
  'signingKey',
  'privateKey',
  'privateKeyPem',
  'keyPem',
  'certificatePem',
  'clientCertificatePem',
  'token',
  'accessToken',
  'access_token',
  'refresh_token',
  'id_token',
  'actortoken',
];

/** Every place a secret is redacted: its key at the top of a log line and up to three objects down. */
export const REDACTED_PATHS: readonly string[] = [
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`]),
  'res.headers["set-cookie"]',
];

/** Creates the root logger; logs go to stderr so that stdout stays the command's output. */
export function createLogger(level: string, destination: DestinationStream = pino.destination(2)): Logger {
  return pino(
    { level, base: { app: 'hybridops' }, redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' } },
    destination,
  );
}

export type { Logger };
