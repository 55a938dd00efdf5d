/** The seeds' "verify your success" made checkable: the OAuth test and the Out of Office voicemail greeting. */
import { APP_IDS } from '../runbooks/app-ids';
import type { RunbookName } from '../runbooks/types';
import { keysWithThumbprint } from './facts';
import type { OrgProbe } from './probe';
import { EXCHANGE_ONLINE_EWS } from './probe';
import type { AuthCertificateFacts, Check } from './types';

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const lower = (value: unknown) => str(value).toLowerCase();

/** Test-OAuthConnectivity -Service EWS against Exchange Online: ResultType and Detail. */
export function oauthConnectivityCheck(probe: OrgProbe, testMailbox: string | undefined): Check {
  const base = {
    id: 'oauth-connectivity',
    title: 'Test-OAuthConnectivity to Exchange Online succeeds',
    alertBy: 'drift' as const,
  };
  const mailbox = testMailbox ? ` -Mailbox '${testMailbox.replace(/'/g, "''")}'` : '';
  const rerun = `Test-OAuthConnectivity -Service 'EWS' -TargetUri '${EXCHANGE_ONLINE_EWS}'${mailbox} | Format-List`;
  if (probe.oauth.error) {
    return {
      ...base,
      ok: false,
      detail: `Test-OAuthConnectivity failed to run: ${probe.oauth.error}`,
      fix: rerun,
      fixRunbook: null,
    };
  }
  const row = probe.oauth.rows[0];
  const result = str(row?.ResultType);
  const ok = result.toLowerCase() === 'success';
  return {
    ...base,
    ok,
    detail: `ResultType ${result || 'missing'}: ${str(row?.Detail) || 'no detail'}`,
    fix: ok ? '' : rerun,
    fixRunbook: null,
  };
}

/** Whether the runbook relies on Cloud Voicemail (so the greeting check applies). */
export function usesCloudVoicemail(probe: OrgProbe): boolean {
  return probe.steps.some(
    (step) =>
      (step.kind === 'partnerApplication' && step.applicationIdentifier === APP_IDS.cloudVoicemail) ||
      (step.kind === 'uploadAuthCertificate' && step.appId === APP_IDS.cloudVoicemail),
  );
}

/** Out of Office voicemail greeting: CloudVoicemail enabled, its key, the legacy 00000004 app still there, the test mailbox's reply. */
export function voicemailGreetingCheck(
  probe: OrgProbe,
  facts: AuthCertificateFacts,
  runbook: RunbookName,
  testMailbox: string | undefined,
): Check {
  const base = {
    id: 'voicemail-greeting',
    title: 'Out of Office voicemail greeting prerequisites',
    alertBy: 'drift' as const,
  };
  const apps = probe.partnerApplications.rows;
  const problems: string[] = [];
  const voicemail = apps.find((row) => lower(row.ApplicationIdentifier) === APP_IDS.cloudVoicemail);
  if (!voicemail) problems.push(`no CloudVoicemail partner application (${APP_IDS.cloudVoicemail})`);
  else if (voicemail.Enabled !== true)
    problems.push(`partner application ${str(voicemail.Name)} is disabled`);
  const principal = probe.principals[APP_IDS.cloudVoicemail];
  const thumbprint = facts.current?.thumbprint;
  if (!principal) problems.push(`no Cloud Voicemail service principal in the tenant`);
  else if (thumbprint && keysWithThumbprint(principal.keyCredentials, thumbprint).length === 0) {
    problems.push(`no key ${thumbprint} on the Cloud Voicemail service principal`);
  }
  const legacy = apps.find((row) => lower(row.ApplicationIdentifier) === APP_IDS.skypeForBusinessOnline);
  if (!legacy)
    problems.push(
      'the legacy SfBOnline partner application (00000004-…) was removed, and the greeting still depends on it',
    );
  else if (legacy.Enabled !== true)
    problems.push(`the legacy partner application ${str(legacy.Name)} is disabled`);
  const reply = probe.autoReply;
  let mailboxNote =
    ' No test mailbox given: call a user with an active Out of Office reply to hear the greeting.';
  if (testMailbox && reply) {
    const state = str(reply.rows[0]?.AutoReplyState);
    mailboxNote = reply.error
      ? ` The test mailbox ${testMailbox} could not be read: ${reply.error}`
      : state === 'Disabled'
        ? ` ${testMailbox} has no active Out of Office reply; turn one on before the test call.`
        : ` ${testMailbox} has an active Out of Office reply (${state}); a Teams call to it should play the greeting.`;
  }
  const ok = problems.length === 0;
  return {
    ...base,
    ok,
    detail: ok
      ? `CloudVoicemail enabled, its key in place, legacy SfBOnline present.${mailboxNote}`
      : `Problems: ${problems.join('; ')}.${mailboxNote}`,
    fix: '',
    fixRunbook: ok ? null : runbook,
  };
}
