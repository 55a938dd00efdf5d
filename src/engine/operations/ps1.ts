/**
 * A whole plan as one PowerShell script an admin can read, keep and paste: each step preceded by a comment with
 * its title, its change and the Microsoft article it follows; EMS commands exactly as rendered, Graph requests
 * as Microsoft Graph PowerShell. Nothing in it needs PowerShell 6 or later: it parses in Windows PowerShell 5.1.
 */
import type { GraphOperation, Plan, PlanStep } from '../../core/plan';
import { graphScopes } from './graph-cmdlets';
import { renderEmsOperation, renderGraphPowershell, renderGraphRequest } from './render';

/** A comment line: no line break can end the comment early. */
const comment = (text: string) => `# ${text.replace(/[\r\n]+/g, ' ')}`;

function stepLines(step: PlanStep, index: number): string[] {
  const lines = [
    comment(`Step ${index + 1}: ${step.title} (${step.change === 'none' ? 'no change' : step.change})`),
  ];
  if (step.article) lines.push(comment(`${step.article.title}: ${step.article.url}`));
  if (step.operations.length === 0) lines.push(comment(step.detail));
  for (const op of step.operations) {
    if (op.kind === 'ems') lines.push(renderEmsOperation(op));
    else lines.push(comment(renderGraphRequest(op, { elide: true })), renderGraphPowershell(op));
  }
  return lines;
}

/** The plan as a .ps1 script (CRLF-free text; the caller writes it as UTF-8). */
export function planScript(plan: Plan): string {
  const operations = plan.steps.flatMap((step) => step.operations);
  const scopes = graphScopes(operations.filter((op): op is GraphOperation => op.kind === 'graph')).join(',');
  const head = [
    comment(`${plan.title}: the plan hybridops made at ${plan.plannedAt}, hash ${plan.hash}.`),
    comment(`Source: ${plan.source}`),
    comment(
      'Graph steps use the Microsoft.Graph.Applications module (Install-Module Microsoft.Graph.Applications).',
    ),
    comment(`Run in the Exchange Management Shell, after Connect-MgGraph -Scopes ${scopes}.`),
    comment('Steps with no change are kept: later steps use what they read (e.g. $authCertificate).'),
  ];
  if (plan.caution) head.push(comment(`Caution: ${plan.caution}`));
  const steps = plan.steps.map((step, index) => stepLines(step, index).join('\n'));
  return `${[head.join('\n'), ...steps].join('\n\n')}\n`;
}
