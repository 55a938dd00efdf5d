/**
 * The lab's loopback endpoint for the HybridOps.Lab PowerShell module: each module function posts the
 * parameters PowerShell bound, the simulated org runs the command, and the answer carries its objects with
 * typed values (dates, arrays, bytes) and Exchange's type names, or its error record. Only 127.0.0.1, only
 * with the per-session secret the lab hands the shell it starts.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { z } from 'zod/v4';
import { CMDLET_NAMES, type CmdletName, type EmsCommand, type EmsErrorRecord } from '../core/ems';
import type { SimulatedExchange } from './exchange-org';

/** The module manifest shipped in the repository. */
export const LAB_MODULE_PATH = path.join(__dirname, 'powershell', 'HybridOps.Lab.psd1');

/** A running endpoint: what a shell needs in its environment to import HybridOps.Lab against it. */
export interface LabModuleEndpoint {
  readonly url: string;
  readonly secret: string;
  /** HYBRIDOPS_LAB_URL and HYBRIDOPS_LAB_SECRET, for the environment of the shell that imports the module. */
  readonly env: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

const requestSchema = z.object({
  cmdlet: z.enum(CMDLET_NAMES),
  params: z.array(
    z.tuple([z.string().regex(/^[A-Za-z]{1,64}$/), z.enum(['s', 'a', 'b', 'w', 'i', 'd']), z.unknown()]),
  ),
});

// The lab's shapes carry these as ISO strings; Exchange types them [DateTime].
const DATE_PROPERTIES = new Set([
  'WhenCreated',
  'WhenChanged',
  'NotBefore',
  'NotAfter',
  'NextCertificateEffectiveDate',
]);

const SETTING_OVERRIDE =
  'Microsoft.Exchange.Data.Directory.SystemConfiguration.ConfigurationSettings.SettingOverride';

// Exchange's type names for the objects whose type is certain: Get-Member on Exchange 2016/2019; the accepted
// domain, setting override and diagnostic result as serialized in CSS-Exchange's HealthChecker test data.
const TYPE_NAMES: Partial<Record<CmdletName, string>> = {
  'New-MailUser': 'Microsoft.Exchange.Data.Directory.Management.MailUser',
  'Get-MailUser': 'Microsoft.Exchange.Data.Directory.Management.MailUser',
  'New-ManagementRole': 'Microsoft.Exchange.Data.Directory.SystemConfiguration.ExchangeRole',
  'Get-ManagementRole': 'Microsoft.Exchange.Data.Directory.SystemConfiguration.ExchangeRole',
  'New-PartnerApplication': 'Microsoft.Exchange.Data.Directory.SystemConfiguration.PartnerApplication',
  'Get-PartnerApplication': 'Microsoft.Exchange.Data.Directory.SystemConfiguration.PartnerApplication',
  'New-AuthServer': 'Microsoft.Exchange.Data.Directory.SystemConfiguration.AuthServer',
  'Get-AuthServer': 'Microsoft.Exchange.Data.Directory.SystemConfiguration.AuthServer',
  'Get-AuthConfig': 'Microsoft.Exchange.Data.Directory.SystemConfiguration.AuthConfig',
  'Get-ExchangeCertificate': 'Microsoft.Exchange.Management.SystemConfigurationTasks.ExchangeCertificate',
  'New-ExchangeCertificate': 'Microsoft.Exchange.Management.SystemConfigurationTasks.ExchangeCertificate',
  'Get-ExchangeServer': 'Microsoft.Exchange.Data.Directory.Management.ExchangeServer',
  'Get-OrganizationConfig': 'Microsoft.Exchange.Data.Directory.Management.OrganizationConfig',
  'Get-AcceptedDomain': 'Microsoft.Exchange.Data.Directory.SystemConfiguration.AcceptedDomain',
  'New-IntraOrganizationConnector':
    'Microsoft.Exchange.Data.Directory.SystemConfiguration.IntraOrganizationConnector',
  'Get-IntraOrganizationConnector':
    'Microsoft.Exchange.Data.Directory.SystemConfiguration.IntraOrganizationConnector',
  'New-SettingOverride': SETTING_OVERRIDE,
  'Get-SettingOverride': SETTING_OVERRIDE,
  'Get-ExchangeDiagnosticInfo':
    'Microsoft.Exchange.Management.Powershell.Support.ExchangeDiagnosticInfoResult',
};

type Tagged = readonly [string, string, unknown];

/** Starts the endpoint for `exchange` on a free loopback port with a fresh secret. */
export async function startLabModuleEndpoint(exchange: SimulatedExchange): Promise<LabModuleEndpoint> {
  const secret = randomBytes(32).toString('hex');
  const expected = Buffer.from(`Bearer ${secret}`);
  const server = http.createServer((req, res) => {
    const given = Buffer.from(req.headers.authorization ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      send(res, 401, { error: 'unauthorized' });
      return;
    }
    if (req.method !== 'POST' || req.url !== '/cmdlet') {
      send(res, 404, { error: 'not found' });
      return;
    }
    readBody(req)
      .then((body) => answer(exchange, body))
      .then(
        (reply) => send(res, 200, reply),
        (error: Error) => send(res, 400, { error: error.message }),
      );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url,
    secret,
    env: { HYBRIDOPS_LAB_URL: url, HYBRIDOPS_LAB_SECRET: secret },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function answer(exchange: SimulatedExchange, body: string): Promise<object> {
  const request = requestSchema.parse(JSON.parse(body));
  const command: EmsCommand = {
    cmdlet: request.cmdlet,
    params: Object.fromEntries(request.params.map(([name, kind, value]) => [name, decodeParam(kind, value)])),
  };
  const result = await exchange.execute(command);
  if (!result.ok) {
    return {
      ok: false,
      terminating: isTerminating(command.cmdlet, result.error),
      error: encodeError(result.error),
    };
  }
  const binary = command.params.BinaryEncoded === true;
  return {
    ok: true,
    typeName: TYPE_NAMES[command.cmdlet] ?? null,
    objects: result.output.map((object) =>
      Object.entries(object).map(([name, value]) => encodeValue(name, value, binary)),
    ),
  };
}

function decodeParam(kind: string, value: unknown): string | boolean | number | string[] {
  switch (kind) {
    case 's':
      return unbase64(z.string().parse(value));
    case 'a':
      return z.array(z.string()).parse(value).map(unbase64);
    case 'b':
    case 'w':
      return z.boolean().parse(value);
    case 'i':
      return z.number().int().parse(value);
    default:
      return z.string().parse(value);
  }
}

/**
 * Exchange writes "couldn't be found" from a Get cmdlet as a non-terminating error (`-ErrorAction
 * SilentlyContinue` hides it, as scripts rely on); every other failure here stops the command.
 */
function isTerminating(cmdlet: CmdletName, error: EmsErrorRecord): boolean {
  return !(cmdlet.startsWith('Get-') && error.errorId.startsWith('ManagementObjectNotFoundException,'));
}

function encodeError(error: EmsErrorRecord): object {
  return { message: base64(error.message), category: error.category, errorId: error.errorId };
}

function encodeValue(name: string, value: unknown, binary: boolean): Tagged {
  if (value === null || value === undefined) return [name, 'n', null];
  if (typeof value === 'boolean') return [name, 'b', value];
  if (typeof value === 'number') return [name, 'i', value];
  if (Array.isArray(value)) return [name, 'a', value.map((item) => base64(String(item)))];
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (DATE_PROPERTIES.has(name) && !Number.isNaN(Date.parse(text))) return [name, 'd', text];
  if (name === 'FileData' && binary) return [name, 'y', text];
  return [name, 's', base64(text)];
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('request too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

// Not chained: restify (in the same process as the bot) replaces ServerResponse.writeHead with one that
// returns nothing.
function send(res: http.ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

function unbase64(text: string): string {
  return Buffer.from(text, 'base64').toString('utf8');
}
