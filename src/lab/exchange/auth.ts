/** The auth configuration and the server's certificates: Get/Set-AuthConfig, *-ExchangeCertificate. */
import { isoSeconds } from '../../core/time';
import { AUTH_CERT_FRIENDLY_NAME } from '../builtins';
import { certificatePem, createAuthCertificate, DEFAULT_AUTH_CERT_SUBJECT } from '../certificates';
import type { ExchangeCertificate, ExchangeServer } from '../state';
import type { CmdletContext, CmdletHandler } from './context';
import { certificateNotFound, certificateNotOnServer, invalidArgument, invalidOperation } from './errors';
import { authConfigOutput, certificateOutput } from './shapes';
import { localServer, reachableServer } from './topology';

/** Thumbprints are compared as Windows shows them: upper-case hex without spaces. */
function normalizeThumbprint(raw: string): string {
  return raw.replace(/\s+/g, '').toUpperCase();
}

/** The certificates in a server's store. */
function storeOf(ctx: CmdletContext, server: ExchangeServer | undefined): ExchangeCertificate[] {
  const held = new Set(server?.certificates ?? []);
  return ctx.state.org.certificates.filter((cert) => held.has(cert.thumbprint));
}

function findCertificate(
  ctx: CmdletContext,
  server: ExchangeServer | undefined,
  thumbprint: string,
): ExchangeCertificate | undefined {
  const wanted = normalizeThumbprint(thumbprint);
  return storeOf(ctx, server).find((cert) => cert.thumbprint === wanted);
}

/** A certificate in the local server's store, for Set-AuthConfig. */
function requireCertificate(ctx: CmdletContext, thumbprint: string): ExchangeCertificate {
  const cert = findCertificate(ctx, localServer(ctx.state), thumbprint);
  if (!cert) throw certificateNotFound(ctx.cmdlet, normalizeThumbprint(thumbprint));
  return cert;
}

/** A certificate in the store of the server -Server names (else the local one), with Exchange's RPC error. */
function requireOnServer(
  ctx: CmdletContext,
  server: ExchangeServer,
  thumbprint: string,
): ExchangeCertificate {
  const cert = findCertificate(ctx, server, thumbprint);
  if (!cert) throw certificateNotOnServer(ctx.cmdlet, server.name, normalizeThumbprint(thumbprint));
  return cert;
}

/** Whether the certificate is outside its validity period at the context's time. */
export function isExpired(cert: ExchangeCertificate, now: Date): boolean {
  return now.getTime() > Date.parse(cert.notAfter) || now.getTime() < Date.parse(cert.notBefore);
}

/** -Thumbprint, or the thumbprint part of an `<Server>\<Thumbprint>` identity. */
function thumbprintParam(ctx: CmdletContext): string | undefined {
  const raw = ctx.params.string('Thumbprint') ?? ctx.params.string('Identity');
  if (raw === undefined) return undefined;
  return raw.slice(raw.lastIndexOf('\\') + 1);
}

/** Get-AuthConfig: the org's auth configuration. */
export const getAuthConfig: CmdletHandler = (ctx) => [authConfigOutput(ctx.state.org)];

/** Set-AuthConfig: stages, publishes or clears auth certificates. */
export const setAuthConfig: CmdletHandler = (ctx) => {
  const config = ctx.state.org.authConfig;
  const now = ctx.now;
  const current = ctx.params.string('CertificateThumbprint');
  const next = ctx.params.string('NewCertificateThumbprint');
  const effective = ctx.params.date('NewCertificateEffectiveDate');
  const publish = ctx.params.switch('PublishCertificate');
  const clear = ctx.params.switch('ClearPreviousCertificate');

  // Check everything first so a refused Set changes nothing.
  const currentCert = current === undefined ? undefined : requireCertificate(ctx, current);
  const nextCert = next === undefined ? undefined : requireCertificate(ctx, next);
  for (const cert of [currentCert, nextCert]) {
    if (cert && isExpired(cert, now)) {
      throw invalidOperation(ctx.cmdlet, `The certificate with thumbprint ${cert.thumbprint} has expired.`);
    }
  }
  if (effective && !nextCert && config.nextCertificateThumbprint === null) {
    throw invalidOperation(
      ctx.cmdlet,
      'The NewCertificateEffectiveDate parameter requires a new certificate. Use the NewCertificateThumbprint parameter.',
    );
  }
  const pendingThumbprint = nextCert?.thumbprint ?? config.nextCertificateThumbprint;
  const pendingDate =
    effective ?? (nextCert ? now : undefined) ?? optionalDate(config.nextCertificateEffectiveDate);
  if (publish) {
    if (pendingThumbprint === null) {
      throw invalidOperation(
        ctx.cmdlet,
        "There's no new certificate to publish. Use the NewCertificateThumbprint parameter to specify one.",
      );
    }
    if (pendingDate && pendingDate.getTime() > now.getTime()) {
      throw invalidOperation(
        ctx.cmdlet,
        `The certificate with thumbprint ${pendingThumbprint} can't be published before its effective date ${isoSeconds(pendingDate)}.`,
      );
    }
  }

  if (currentCert) config.currentCertificateThumbprint = currentCert.thumbprint;
  if (nextCert || effective) {
    config.nextCertificateThumbprint = pendingThumbprint;
    config.nextCertificateEffectiveDate = pendingDate ? isoSeconds(pendingDate) : null;
  }
  if (publish && pendingThumbprint !== null) {
    config.previousCertificateThumbprint = config.currentCertificateThumbprint;
    config.currentCertificateThumbprint = pendingThumbprint;
    config.nextCertificateThumbprint = null;
    config.nextCertificateEffectiveDate = null;
  }
  if (clear) config.previousCertificateThumbprint = null;
  const serviceName = ctx.params.string('ServiceName');
  if (serviceName !== undefined) config.serviceName = serviceName;
  const realm = ctx.params.string('Realm');
  if (realm !== undefined) config.realm = realm;
  return [];
};

function optionalDate(iso: string | null): Date | undefined {
  return iso === null ? undefined : new Date(iso);
}

/** Get-ExchangeCertificate: one certificate of a server's store by thumbprint, or all of them. */
export const getExchangeCertificate: CmdletHandler = (ctx) => {
  const org = ctx.state.org;
  const server = reachableServer(ctx);
  const thumbprint = thumbprintParam(ctx);
  if (thumbprint === undefined) {
    return storeOf(ctx, server).map((cert) => certificateOutput(cert, org, ctx.now));
  }
  return [certificateOutput(requireOnServer(ctx, server, thumbprint), org, ctx.now)];
};

/** Export-ExchangeCertificate: the certificate's public part as FileData. */
export const exportExchangeCertificate: CmdletHandler = (ctx) => {
  const server = reachableServer(ctx);
  const thumbprint = thumbprintParam(ctx);
  if (thumbprint === undefined) throw certificateNotFound(ctx.cmdlet, '');
  const cert = requireOnServer(ctx, server, thumbprint);
  // -BinaryEncoded gives the DER bytes (base64 once JSON-normalized); otherwise Exchange returns PEM text.
  const fileData = ctx.params.switch('BinaryEncoded') ? cert.derBase64 : certificatePem(cert.derBase64);
  return [{ FileData: fileData }];
};

/** New-ExchangeCertificate: a new self-signed certificate valid for five years, in the store of the server it runs on. */
export const newExchangeCertificate: CmdletHandler = async (ctx) => {
  const org = ctx.state.org;
  const server = reachableServer(ctx);
  const subject = ctx.params.string('SubjectName') ?? DEFAULT_AUTH_CERT_SUBJECT;
  const notAfter = new Date(ctx.now);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + 5);
  const created = await createAuthCertificate({ notBefore: ctx.now, notAfter, subject }).catch(() => {
    throw invalidArgument(
      ctx.cmdlet,
      `The value "${subject}" isn't a valid X.500 distinguished name for SubjectName.`,
    );
  });
  const services = (ctx.params.strings('Services') ?? ['SMTP']).flatMap((s) =>
    s
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== ''),
  );
  const cert: ExchangeCertificate = {
    thumbprint: created.thumbprint,
    subject: created.subject,
    friendlyName: ctx.params.string('FriendlyName') ?? AUTH_CERT_FRIENDLY_NAME,
    notBefore: created.notBefore,
    notAfter: created.notAfter,
    services,
    derBase64: created.derBase64,
  };
  org.certificates.push(cert);
  org.certificatePrivateKeys[cert.thumbprint] = created.privateKeyPem;
  server.certificates.push(cert.thumbprint);
  return [certificateOutput(cert, org, ctx.now)];
};
