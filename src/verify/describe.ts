/** Verification results in the admin's words, one line each: the bot's cards and a terminal show the same lines. */
import type { CertificateStatus } from './certificate-status';
import type { VerifyReport } from './types';

/** A headline, then each failing check with what fixes it. */
export function verifyReportLines(report: VerifyReport): string[] {
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
  return lines;
}

/** The current and next auth certificates and the key on each service principal. */
export function certificateLines(status: CertificateStatus): string[] {
  const { current, next, previousThumbprint, problem } = status.certificates;
  const lines: string[] = [];
  if (current) {
    lines.push(
      `Current: ${current.thumbprint} (${current.subject}), valid ${current.notBefore} to ${current.notAfter} — ${status.daysLeft} days left.`,
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
  for (const principal of status.servicePrincipals) {
    if (!principal.present) {
      lines.push(`${principal.appName}: no service principal in the tenant.`);
      continue;
    }
    const keys = principal.keys.map(
      (key) => `${key.thumbprint} to ${key.endDateTime}${key.expired ? ' (expired)' : ''}`,
    );
    lines.push(`${principal.appName}: ${keys.length === 0 ? 'no keys' : keys.join('; ')}.`);
  }
  return lines;
}
