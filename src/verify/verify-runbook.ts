/** Verification of a runbook's desired state: one check per step, plus the key dates the seeds ask to confirm. */
import { diffStep } from '../engine/diff';
import type { PlanDeps } from '../engine/planner';
import { emptyProjection } from '../engine/projection';
import { takeSnapshot } from '../engine/snapshot';
import type { Runbook, RunbookInputs } from '../runbooks/types';

export interface Check {
  readonly id: string;
  readonly title: string;
  readonly ok: boolean;
  readonly detail: string;
}

const sameInstant = (a: string, b: string) => new Date(a).getTime() === new Date(b).getTime();

/** Probes the org once and checks every step of the runbook; all checks pass only when nothing would change. */
export async function verifyRunbook(
  runbook: Runbook,
  inputs: RunbookInputs,
  deps: PlanDeps,
): Promise<Check[]> {
  const steps = runbook.steps(inputs);
  const snapshot = await takeSnapshot(steps, inputs, deps.ems, deps.graph);
  const now = deps.clock.now();
  const checks: Check[] = [];
  for (const step of steps) {
    // Each step is checked on its own: a missing object must not be excused by an earlier step's projection.
    const diff = diffStep(step, snapshot, emptyProjection(), inputs, now);
    const problems = [...diff.warnings];
    if (diff.change !== 'none') problems.unshift(`would ${diff.change}: ${diff.detail}`);
    checks.push({
      id: step.id,
      title: step.title,
      ok: problems.length === 0,
      detail: problems.length === 0 ? diff.detail : problems.join(' '),
    });
    if (step.kind === 'uploadAuthCertificate' && snapshot.authCertificate) {
      const certificate = snapshot.authCertificate;
      const key = snapshot.servicePrincipals
        .get(step.appId)
        ?.keyCredentials.find(
          (candidate) => candidate.customKeyIdentifier?.toUpperCase() === certificate.thumbprint,
        );
      const ok = Boolean(
        key &&
          sameInstant(key.startDateTime, certificate.notBefore) &&
          sameInstant(key.endDateTime, certificate.notAfter),
      );
      checks.push({
        id: `${step.id}-dates`,
        title: `${step.appName} key dates match the auth certificate`,
        ok,
        detail: key
          ? `Key ${certificate.thumbprint}: ${key.startDateTime} to ${key.endDateTime}; certificate ${certificate.notBefore} to ${certificate.notAfter}.`
          : `No key with thumbprint ${certificate.thumbprint} on ${step.appId}.`,
      });
    }
  }
  return checks;
}
