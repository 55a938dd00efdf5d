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
  const app = status.hybridApp;
  if (app) {
    const keys = app.keys.map(
      (key) => `${key.thumbprint} to ${key.endDateTime}${key.expired ? ' (expired)' : ''}`,
    );
    const permission = app.permissionGranted
      ? 'full_access_as_app granted'
      : 'full_access_as_app NOT granted';
    lines.push(
      `${app.displayName} (${app.appId}): ${keys.length === 0 ? 'no keys' : keys.join('; ')}; ${permission}.`,
    );
  } else {
    lines.push('Dedicated hybrid application: none.');
  }
  const servers = new Map<string, string[]>();
  for (const entry of status.serverCertificates) {
    const list = servers.get(entry.server) ?? [];
    list.push(`${entry.which} ${entry.state}`);
    servers.set(entry.server, list);
  }
  for (const [server, states] of servers) lines.push(`${server}: ${states.join(', ')}.`);
  return lines;
}
