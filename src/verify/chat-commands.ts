/** What the Teams surface calls for `verify [runbook]`, `cert` and `inspect <token>`: data plus the reply text. */
import type { PlanDeps } from '../engine/planner';
import type { Runbook, RunbookInputs } from '../runbooks/types';
import { daysUntil } from './facts';
import {
  formatInspection,
  type InspectOptions,
  type InspectOutcome,
  inspectToken,
} from './token/inspect-token';
import type { VerifyOptions, VerifyReport } from './types';
import { verifyOrg } from './verify-runbook';

/** `verify [runbook]`: every check; the text lists failures first, each with its fix. */
export async function verifyCommand(
  runbook: Runbook,
  inputs: RunbookInputs,
  deps: PlanDeps,
  options: VerifyOptions = {},
): Promise<{ report: VerifyReport; text: string }> {
  const report = await verifyOrg(runbook, inputs, deps, options);
  return { report, text: formatVerifyReport(report) };
}

/** The checks as chat text: a headline, then each failing check with what fixes it. */
export function formatVerifyReport(report: VerifyReport): string {
  const failed = report.checks.filter((check) => !check.ok);
  const lines = [
    failed.length === 0
      ? `All ${report.checks.length} checks of ${report.runbook} pass.`
      : `${failed.length} of ${report.checks.length} checks of ${report.runbook} fail:`,
  ];
  for (const check of failed) {
    lines.push(`✗ ${check.title}: ${check.detail}`);
    if (check.fix) lines.push(...check.fix.split('\n').map((line) => `    ${line}`));
    if (check.fixRunbook) lines.push(`    Plan the fix: plan ${check.fixRunbook}`);
  }
  return lines.join('\n');
}

/** `cert`: the current and next auth certificates and the key on each service principal. */
export function formatCertificates(report: VerifyReport, now: Date): string {
  const { current, next, previousThumbprint, problem } = report.certificates;
  const lines: string[] = [];
  if (current) {
    lines.push(
      `Current: ${current.thumbprint} (${current.subject}), valid ${current.notBefore} to ${current.notAfter} — ${daysUntil(current.notAfter, now)} days left.`,
    );
  } else {
    lines.push(`Current: none. ${problem ?? ''}`.trim());
  }
  lines.push(
    next
      ? `Next: ${next.thumbprint} staged, effective ${next.effectiveDate ?? 'now'}.`
      : 'Next: none staged.',
  );
  if (previousThumbprint) lines.push(`Previous: ${previousThumbprint}.`);
  for (const principal of report.servicePrincipals) {
    if (!principal.present) {
      lines.push(`${principal.appName}: no service principal in the tenant.`);
      continue;
    }
    const keys = principal.keys.map(
      (key) => `${key.thumbprint} to ${key.endDateTime}${key.expired ? ' (expired)' : ''}`,
    );
    lines.push(`${principal.appName}: ${keys.length === 0 ? 'no keys' : keys.join('; ')}.`);
  }
  return lines.join('\n');
}

/** `cert`: one verification, shown as the certificate facts. */
export async function certCommand(
  runbook: Runbook,
  inputs: RunbookInputs,
  deps: PlanDeps,
): Promise<{ report: VerifyReport; text: string }> {
  const report = await verifyOrg(runbook, inputs, deps);
  return { report, text: formatCertificates(report, deps.clock.now()) };
}

/** `inspect <token>`: the inspection and its text; malformed input answers with one sentence. */
export function inspectCommand(
  token: string,
  options: InspectOptions,
): { outcome: InspectOutcome; text: string } {
  const outcome = inspectToken(token, options);
  return { outcome, text: formatInspection(outcome) };
}
