/** Step builders for the shapes the seeds repeat, so each runbook file reads as its procedure. */
import { APP_IDS, DEDICATED_APP_HINT } from './app-ids';
import { HYBRID_OAUTH } from './articles';
import type { Article, RunbookStep } from './types';

/** The steps, each with `article` unless it names its own. */
export function withArticle(article: Article, steps: readonly RunbookStep[]): RunbookStep[] {
  return steps.map((step) => (step.article ? step : { ...step, article }));
}

/** Step 1 of seeds 000–002: OAuth between Exchange Server and Exchange Online must be in place. */
export function exchangeOnlineOAuthPrerequisite(): RunbookStep {
  return {
    kind: 'hybridOAuthPrerequisite',
    id: 'exchange-online-oauth',
    title: 'OAuth between Exchange Server and Exchange Online is configured',
    seedStep: 'Step 1',
    warnings: [DEDICATED_APP_HINT],
    article: HYBRID_OAUTH,
  };
}

/** The application account: a mail user, then hidden from address lists. */
export function applicationAccountSteps(
  account: string,
  externalEmailAddress: string,
  purpose: string,
  seedStep: string,
  applicationAccount: { switch: boolean; warnings: readonly string[] } = { switch: false, warnings: [] },
): RunbookStep[] {
  return [
    {
      kind: 'mailUser',
      id: 'mail-user',
      title: `Mail user ${account} for ${purpose}`,
      seedStep,
      name: account,
      externalEmailAddress,
      applicationAccount: applicationAccount.switch,
      warnings: applicationAccount.warnings,
    },
    {
      kind: 'mailUserHidden',
      id: 'mail-user-hidden',
      title: `${account} hidden from address lists`,
      seedStep,
      name: account,
    },
  ];
}

/** A role made from UserApplication that keeps only GetDelegate, assigned to the account (seeds 000, 001). */
export function getDelegateOnlyRoleSteps(role: string, account: string, seedStep: string): RunbookStep[] {
  return [
    {
      kind: 'managementRole',
      id: 'role',
      title: `Management role ${role} based on UserApplication`,
      seedStep,
      name: role,
      parent: 'UserApplication',
    },
    {
      kind: 'roleEntriesOnly',
      id: 'role-entries',
      title: `${role} keeps only GetDelegate`,
      seedStep,
      role,
      parent: 'UserApplication',
      keep: ['GetDelegate'],
    },
    {
      kind: 'roleAssignment',
      id: 'role-assignment',
      title: `${role} assigned to ${account}`,
      seedStep,
      role,
      user: account,
    },
  ];
}

/** UserApplication and ArchiveApplication assigned directly to the account (seeds 002, 003). */
export function applicationRoleAssignmentSteps(account: string, seedStep: string): RunbookStep[] {
  return ['UserApplication', 'ArchiveApplication'].map((role) => ({
    kind: 'roleAssignment',
    id: `role-assignment-${role.toLowerCase()}`,
    title: `${role} assigned to ${account}`,
    seedStep,
    role,
    user: account,
  }));
}

/** The auth certificate's export and its key on the Skype for Business Online service principal. */
export function sfbOnlineKeySteps(
  exportSeedStep: string,
  uploadSeedStep: string,
  uploadWarnings: readonly string[] = [],
): RunbookStep[] {
  return [
    {
      kind: 'exportAuthCertificate',
      id: 'export-auth-certificate',
      title: 'Export the on-premises authorization certificate',
      seedStep: exportSeedStep,
    },
    {
      kind: 'uploadAuthCertificate',
      id: 'upload-sfbonline',
      title: 'Auth certificate key on the Skype for Business Online service principal',
      seedStep: uploadSeedStep,
      appId: APP_IDS.skypeForBusinessOnline,
      appName: 'Skype for Business Online',
      warnings: uploadWarnings,
    },
  ];
}
