/** The read-only checks the runbooks' "verify your success" steps lean on. */
import { isoSeconds } from '../../core/time';
import { type CmdletContext, type CmdletHandler, findMailUser } from './context';
import { invalidArgument, objectNotFound } from './errors';
import { canonicalIdentity, sameName } from './names';
import { judgeOAuth } from './oauth-verdict';
import { autoReplyOutput } from './shapes';
import { localServer } from './topology';

type AutoReply = CmdletContext['state']['org']['autoReplyConfigurations'][number];

function findAutoReply(ctx: CmdletContext, identity: string): AutoReply | undefined {
  return ctx.state.org.autoReplyConfigurations.find((config) => {
    const name = config.identity.slice(config.identity.lastIndexOf('/') + 1);
    return [config.identity, name, config.primarySmtpAddress ?? ''].some((c) => sameName(c, identity));
  });
}

/** The mailbox or mail user -Mailbox names; not found is Exchange's usual error. */
function resolveMailbox(ctx: CmdletContext, identity: string): string {
  const mailbox = findAutoReply(ctx, identity);
  if (mailbox) return mailbox.identity;
  const user = findMailUser(ctx, identity);
  if (user) return canonicalIdentity(user.name, ctx.state.org.domain);
  throw objectNotFound(ctx.cmdlet, identity, ctx.dc);
}

/** Test-OAuthConnectivity: the result object Exchange returns (ResultType, Detail), judged from the org's state. */
export const testOAuthConnectivity: CmdletHandler = (ctx) => {
  const service = ctx.params.requireString('Service');
  const targetUri = ctx.params.requireString('TargetUri');
  const mailboxParam = ctx.params.string('Mailbox');
  if (mailboxParam !== undefined) resolveMailbox(ctx, mailboxParam);
  let target: URL;
  try {
    target = new URL(targetUri);
  } catch {
    throw invalidArgument(
      ctx.cmdlet,
      `Cannot bind parameter 'TargetUri'. Cannot convert value "${targetUri}" to type "System.Uri". Error: "Invalid URI: The format of the URI could not be determined."`,
    );
  }
  const verdict = judgeOAuth(ctx.state, localServer(ctx.state), ctx.now, target, service);
  const detail = [
    `The configuration was last successfully loaded at ${isoSeconds(ctx.now)}. This was 0 minutes ago.`,
    'The token cache is being cleared because "use cached token" was set to false.',
    'Exchange Outbound Oauth Log:',
    `Client request ID: ${ctx.newGuid()}`,
    'Information:[OAuthTokenBuilder:GetAppToken] checking enabled auth servers',
    ...verdict.log,
    ...(verdict.exception === null
      ? []
      : ['', 'Exchange Response Details:', 'HTTP response message: ', 'Exception:', verdict.exception]),
  ];
  return [
    {
      Task: `Checking ${service} API Call Under Oauth`,
      Detail: detail.join('\n'),
      ResultType: verdict.exception === null ? 'Success' : 'Error',
      Identity: 'Microsoft.Exchange.Security.OAuth.ValidationResultNodeId',
      // Exchange reports IsValid True even when the call failed; ResultType is what tells.
      IsValid: true,
      ObjectState: 'New',
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
