/** Human-readable text for plans, runs, checks and the audit log. */
import { type ApplyResult, countSteps, type ProgressEvent } from '../engine/apply';
import type { Plan } from '../engine/plan-types';
import type { AuditEntry } from '../store/types';
import type { Check } from '../verify/verify-runbook';

const indent = (text: string, pad: string) =>
  text
    .split('\n')
    .map((line) => pad + line)
    .join('\n');

/** A plan as an admin reads it: each step, its change, the exact command, and warnings. */
export function formatPlan(plan: Plan): string {
  const lines = [`Plan: ${plan.runbook} — ${plan.title}`, `Source: ${plan.source}`];
  if (plan.caution) lines.push(`CAUTION: ${plan.caution}`);
  for (const note of plan.notes) lines.push(`Note: ${note}`);
  lines.push('');
  plan.steps.forEach((step, index) => {
    lines.push(
      `${String(index + 1).padStart(2)}. [${step.change}] ${step.title} (${step.seedStep}, ${step.target})`,
    );
    lines.push(indent(step.detail, '      '));
    if (step.command) lines.push(indent(step.command, '      > '));
    for (const warning of step.warnings) lines.push(indent(warning, '      ! '));
    if (step.article) lines.push(`      Microsoft: ${step.article.title} <${step.article.url}>`);
  });
  const changing = plan.steps.filter((step) => step.change !== 'none');
  const counts = ['create', 'update', 'delete']
    .map((change) => [change, changing.filter((step) => step.change === change).length] as const)
    .filter(([, count]) => count > 0)
    .map(([change, count]) => `${count} ${change}`);
  lines.push('');
  lines.push(
    changing.length === 0
      ? `Nothing to change: all ${plan.steps.length} steps are in place.`
      : `${changing.length} step(s) to change (${counts.join(', ')}), ${plan.steps.length - changing.length} unchanged.`,
  );
  lines.push(`Plan hash: ${plan.hash}`);
  return lines.join('\n');
}

/** One progress line for a terminal. */
export function formatProgress(event: ProgressEvent): string | null {
  switch (event.type) {
    case 'run.started':
      return `${event.resumed ? 'Resuming' : 'Starting'} run ${event.runId} (${event.steps} steps)`;
    case 'command.started':
      return `    > ${event.command.split('\n')[0]}`;
    case 'step.finished':
      return `  ${event.state === 'failed' ? 'FAILED ' : event.state === 'skipped' ? 'skipped' : 'done   '} ${event.title}${event.state === 'failed' ? `: ${event.detail}` : ''}`;
    case 'run.finished':
      return `Run ${event.runId} ${event.state}.`;
    case 'step.started':
      return null;
  }
}

/** The end of an apply: what ran, what was skipped, what failed. */
export function formatApply(result: ApplyResult): string {
  const { ran, inPlace, notReached } = countSteps(result.steps);
  const head = result.state === 'succeeded' ? 'Applied' : 'Apply failed';
  const unreached = notReached ? `, ${notReached} not reached` : '';
  const lines = [
    `${head}: ${ran} step(s) changed, ${inPlace} already in place${unreached}${result.resumed ? ' (resumed run)' : ''}.`,
  ];
  if (result.error) lines.push(result.error);
  return lines.join('\n');
}

/** Verification results, one line per check. */
export function formatChecks(checks: readonly Check[]): string {
  const lines = checks.map((check) => `${check.ok ? 'PASS' : 'FAIL'}  ${check.title}\n      ${check.detail}`);
  const failed = checks.filter((check) => !check.ok).length;
  lines.push(
    '',
    failed === 0 ? `All ${checks.length} checks pass.` : `${failed} of ${checks.length} checks fail.`,
  );
  return lines.join('\n');
}

/** The audit log, oldest first. */
export function formatAudit(entries: readonly AuditEntry[]): string {
  if (entries.length === 0) return 'The audit log is empty.';
  return entries
    .map((entry) => {
      const duration = entry.durationMs === null ? '' : ` (${entry.durationMs} ms)`;
      const outcome = entry.outcome ? ` → ${entry.outcome}` : '';
      return `${entry.at}  ${entry.actor}  ${entry.action}  ${entry.runbook ?? ''} ${entry.runId ?? ''}\n    ${entry.detail}${outcome}${duration}`;
    })
    .join('\n');
}
