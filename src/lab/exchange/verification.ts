/** The read-only checks the runbooks' "verify your success" steps lean on. */
import { EXCHANGE_ONLINE_APP_ID } from '../builtins';
import { isExpired } from './auth';
import { type CmdletContext, type CmdletHandler, findMailUser } from './context';
import { objectNotFound } from './errors';
import { canonicalIdentity, sameName } from './names';
import { autoReplyOutput } from './shapes';

type AutoReply = CmdletContext['state']['org']['autoReplyConfigurations'][number];

function findAutoReply(ctx: CmdletContext, identity: string): AutoReply | undefined {
  return ctx.state.org.autoReplyConfigurations.find((config) => {
    const name = config.identity.slice(config.identity.lastIndexOf('/') + 1);
    return [config.identity, name, config.primarySmtpAddress ?? ''].some((c) => sameName(c, identity));
  });
}

/** The display identity of a mailbox or mail user named by -Mailbox; not found is Exchange's usual error. */
function resolveMailbox(ctx: CmdletContext, identity: string): string {
  const mailbox = findAutoReply(ctx, identity);
  if (mailbox) return mailbox.identity;
  const user = findMailUser(ctx, identity);
  if (user) return canonicalIdentity(user.name, ctx.state.org.domain);
  throw objectNotFound(ctx.cmdlet, identity, ctx.dc);
}

const EXCHANGE_ONLINE_HOSTS =
  /(^|\.)(outlook\.office365\.com|outlook\.office\.com|outlook\.com|office365\.com)$/i;

/** Why OAuth from this org to the target would fail, or an empty list when it would work. */
function oauthProblems(ctx: CmdletContext, targetUri: string): string[] {
  const org = ctx.state.org;
  const problems: string[] = [];
  const thumbprint = org.authConfig.currentCertificateThumbprint;
  const cert = org.certificates.find((c) => c.thumbprint === thumbprint);
  if (!cert) {
    problems.push(
      `The auth certificate with thumbprint ${thumbprint} referenced by the auth configuration wasn't found.`,
    );
  } else if (isExpired(cert, ctx.now)) {
    problems.push(
      `The auth certificate with thumbprint ${thumbprint} is not valid at this time (NotAfter ${cert.notAfter}).`,
    );
  } else if (!(thumbprint in org.certificatePrivateKeys)) {
    problems.push(
      `The auth certificate with thumbprint ${thumbprint} has no private key, so tokens can't be signed.`,
    );
  }

  let host = '';
  try {
    host = new URL(targetUri).hostname;
  } catch {
    problems.push(`The target URI "${targetUri}" isn't valid.`);
  }
  if (EXCHANGE_ONLINE_HOSTS.test(host)) {
    // Same test Microsoft's Exchange HealthChecker applies: an enabled evoSTS or ACS auth server, and an
    // enabled partner application for Exchange Online.
    const cloudAuthServers = org.authServers.filter(
      (s) => s.enabled && (s.type === 'AzureAD' || s.type === 'MicrosoftACS'),
    );
    if (cloudAuthServers.length === 0) {
      problems.push(
        'No enabled authorization server of type AzureAD (evoSTS) or MicrosoftACS is configured.',
      );
    }
    const exoApp = org.partnerApplications.find((a) =>
      sameName(a.applicationIdentifier, EXCHANGE_ONLINE_APP_ID),
    );
    if (!exoApp) {
      problems.push(`No partner application with ApplicationIdentifier ${EXCHANGE_ONLINE_APP_ID} exists.`);
    } else if (!exoApp.enabled) {
      problems.push(`The partner application "${exoApp.name}" (${EXCHANGE_ONLINE_APP_ID}) is disabled.`);
    }
  }
  return problems;
}

/** Test-OAuthConnectivity: whether OAuth to the target would work, judged from the org's state. */
export const testOAuthConnectivity: CmdletHandler = (ctx) => {
  const service = ctx.params.requireString('Service');
  const targetUri = ctx.params.requireString('TargetUri');
  const mailboxParam = ctx.params.string('Mailbox');
  const mailbox = mailboxParam === undefined ? null : resolveMailbox(ctx, mailboxParam);
  const problems = oauthProblems(ctx, targetUri);
  const ok = problems.length === 0;
  return [
    {
      Task: `Checking ${service} API Call Under Oauth`,
      Detail: ok ? `The OAuth request to ${targetUri} succeeded.` : problems.join(' '),
      ResultType: ok ? 'Success' : 'Error',
      Identity: mailbox,
      IsValid: true,
    },
  ];
};

/** Get-MailboxAutoReplyConfiguration: a mailbox's Out of Office settings. */
export const getMailboxAutoReplyConfiguration: CmdletHandler = (ctx) => {
  const identity = ctx.params.string('Identity');
  if (identity === undefined) return ctx.state.org.autoReplyConfigurations.map(autoReplyOutput);
  const config = findAutoReply(ctx, identity);
  if (!config) throw objectNotFound(ctx.cmdlet, identity, ctx.dc);
  return [autoReplyOutput(config)];
};
