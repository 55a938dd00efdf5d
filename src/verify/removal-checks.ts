/**
 * Removal runbooks verify what they risk: removing the legacy Skype for Business Online partner application
 * (00000004) breaks the Out of Office voicemail greeting while Cloud Voicemail still depends on it.
 */
import { APP_IDS } from '../runbooks/app-ids';
import type { RunbookStep } from '../runbooks/types';
import type { OrgProbe } from './probe';
import type { Check } from './types';

const lower = (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : '');

/** Whether the runbook removes the legacy 00000004 partner application. */
export function removesLegacySfb(steps: readonly RunbookStep[]): boolean {
  return steps.some(
    (step) =>
      step.kind === 'removePartnerApplication' &&
      step.applicationIdentifier === APP_IDS.skypeForBusinessOnline,
  );
}

/** The greeting's dependency: fails when Cloud Voicemail is configured and the legacy application is gone. */
export function greetingDependencyCheck(probe: OrgProbe): Check {
  const apps = probe.partnerApplications.rows;
  const voicemail = apps.find(
    (row) => lower(row.ApplicationIdentifier) === APP_IDS.cloudVoicemail && row.Enabled === true,
  );
  const legacy = apps.find(
    (row) => lower(row.ApplicationIdentifier) === APP_IDS.skypeForBusinessOnline && row.Enabled === true,
  );
  const base = {
    id: 'voicemail-greeting-dependency',
    title: 'Out of Office voicemail greeting still has the legacy application it depends on',
    fix: '',
    alertBy: 'drift' as const,
  };
  if (!voicemail)
    return {
      ...base,
      ok: true,
      detail: 'No enabled CloudVoicemail partner application: no greeting depends on the legacy application.',
      fixRunbook: null,
    };
  if (legacy)
    return {
      ...base,
      ok: true,
      detail:
        'The legacy SfBOnline partner application (00000004-…) is still enabled: the greeting keeps working.',
      fixRunbook: null,
    };
  return {
    ...base,
    ok: false,
    detail:
      'Cloud Voicemail is configured but the legacy SfBOnline partner application (00000004-…) is gone: callers no longer hear the Out of Office greeting. Plan teams to put it back until Microsoft retires the dependency.',
    fixRunbook: 'teams',
  };
}
