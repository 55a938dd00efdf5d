/**
 * The shared principal clean-up: the Exchange certificates' keys off the shared Exchange Online service principal,
 * refused while a server lacks a build with the dedicated hybrid application or the application is not in place.
 */
import type { HybridApplicationStep, RunbookInputs, SharedPrincipalCleanupStep } from '../../runbooks/types';
import type { StepDiff } from '../plan-types';
import type { Snapshot } from '../snapshot';
import { diffHybridApplication } from './dedicated-app-entra';
import { diffHybridAppAuthServer, diffHybridAppOverride, unsupportedServers } from './dedicated-app-exchange';
import { keyCredentialsPatch } from './operations';

const PARTS: Readonly<Record<HybridApplicationStep['part'], string>> = {
  application: 'the application',
  servicePrincipal: 'its service principal',
  permission: 'its full_access_as_app permission',
  consent: 'the admin consent',
  keys: 'the auth certificates on it',
};

/** What plan dedicated-hybrid-app would still do, by step title; empty when the application is fully in place. */
function dedicatedAppGaps(snap: Snapshot, inputs: RunbookInputs, now: Date): string[] {
  const base = { id: 'check', title: '', seedStep: '' };
  const diffs = [
    ...Object.entries(PARTS).map(([part, what]) => ({
      what,
      diff: diffHybridApplication(
        { ...base, kind: 'hybridApplication', part: part as HybridApplicationStep['part'] },
        snap,
        now,
      ),
    })),
    {
      what: 'the evoSTS auth server naming it',
      diff: diffHybridAppAuthServer({ ...base, kind: 'hybridAppAuthServer' }, snap, inputs),
    },
    {
      what: 'the setting override',
      diff: diffHybridAppOverride(
        { ...base, kind: 'hybridAppOverride', name: 'EnableExchangeHybrid3PAppFeature', reason: '' },
        snap,
        inputs,
      ),
    },
  ];
  return diffs
    .filter(({ diff }) => diff.change !== 'none' || diff.warnings.length > 0)
    .map(({ what }) => what);
}

/** The thumbprints of this organization's Exchange certificates (the server's, and the configured ones). */
function exchangeThumbprints(snap: Snapshot): Set<string> {
  const rotation = snap.rotation;
  return new Set(
    [
      ...(rotation?.certificates.map((cert) => cert.thumbprint) ?? []),
      rotation?.currentThumbprint,
      rotation?.nextThumbprint,
      rotation?.previousThumbprint,
    ]
      .filter((thumbprint): thumbprint is string => Boolean(thumbprint))
      .map((thumbprint) => thumbprint.toUpperCase()),
  );
}

export function diffSharedPrincipalCleanup(
  step: SharedPrincipalCleanupStep,
  snap: Snapshot,
  inputs: RunbookInputs,
  now: Date,
): StepDiff {
  const unsupported = unsupportedServers(snap.exchangeServers ?? []);
  const gaps = dedicatedAppGaps(snap, inputs, now);
  const refusal =
    unsupported.length > 0
      ? `Refused: ${unsupported.join(', ')} ${unsupported.length === 1 ? 'does' : 'do'} not run a build with the dedicated hybrid application and would lose hybrid free/busy, MailTips and photos.`
      : gaps.length > 0
        ? `Refused: the dedicated hybrid application is not in place (${gaps.join(', ')}): plan dedicated-hybrid-app first.`
        : undefined;
  const principal = snap.servicePrincipals.get(step.appId);
  if (!principal) {
    return {
      change: 'none',
      operations: [],
      detail: `The tenant has no service principal ${step.appId}.`,
      warnings: [],
      ...(refusal ? { refusal } : {}),
    };
  }
  const ours = exchangeThumbprints(snap);
  const isOurs = (thumbprint: string | null) => ours.has((thumbprint ?? '').toUpperCase());
  const remove = principal.keyCredentials.filter((key) => isOurs(key.customKeyIdentifier));
  const keep = principal.keyCredentials.filter((key) => !remove.includes(key));
  const base = refusal ? { refusal } : {};
  if (remove.length === 0) {
    return {
      change: 'none',
      operations: [],
      detail: `No key of this organization's Exchange certificates is on ${principal.displayName}.`,
      warnings: [],
      ...base,
    };
  }
  return {
    change: 'delete',
    operations: [keyCredentialsPatch(principal.id, keep, null)],
    detail:
      `Removing ${remove.map((key) => key.customKeyIdentifier).join(', ')} from ${principal.displayName}; ` +
      `keeping ${keep.length} other key(s).`,
    warnings: [],
    ...base,
  };
}
