/** Rendering an action as the admin sees it, and running it through the right port. */

import type { EmsRunner, GraphPort } from '../core/ports';
import { renderCommand } from '../exchange/render';
import { isMutating } from '../exchange/validate';
import type { Action } from './plan-types';

export type ActionOutcome =
  | { readonly ok: true; readonly summary: string }
  | { readonly ok: false; readonly error: string };

/** The exact text of an action: PowerShell for Exchange, the Graph request for Entra. */
export function renderAction(action: Action): string {
  switch (action.kind) {
    case 'ems':
      return renderCommand(action.command);
    case 'uploadKey':
      return `PATCH /v1.0/servicePrincipals/${action.servicePrincipalId} (keyCredentials of ${action.appId}): ${action.summary}`;
    case 'setServicePrincipalNames':
      return `PATCH /v1.0/servicePrincipals/${action.servicePrincipalId} (servicePrincipalNames of ${action.appId}): add ${action.added}`;
    case 'removeExpiredKeys':
      return `PATCH /v1.0/servicePrincipals/${action.servicePrincipalId} (keyCredentials of ${action.appId}): remove expired ${action.expired.join(', ')}, keep every unexpired key`;
  }
}

/** Whether the action changes the org (reads are never journaled). */
export function isMutatingAction(action: Action): boolean {
  return action.kind !== 'ems' || isMutating(action.command.cmdlet);
}

/** Runs one action. Rejects only when its outcome is unknown (e.g. the connection to the agent was lost). */
export async function runAction(action: Action, ems: EmsRunner, graph: GraphPort): Promise<ActionOutcome> {
  switch (action.kind) {
    case 'ems': {
      const result = await ems.run(action.command);
      if (result.ok) return { ok: true, summary: `${result.output.length} object(s)` };
      return { ok: false, error: result.error.message };
    }
    case 'uploadKey':
      return graphOutcome(async () => {
        const result = await graph.uploadAuthCertificate(action.appId, action.certificate);
        return result.reason;
      });
    case 'removeExpiredKeys':
      return graphOutcome(async () => {
        if (!graph.removeExpiredKeys)
          throw Object.assign(new Error('This Graph connection cannot remove keys.'), { status: 501 });
        const principal = await graph.removeExpiredKeys(action.appId);
        return `${principal.keyCredentials.length} key(s) left`;
      });
    case 'setServicePrincipalNames':
      return graphOutcome(async () => {
        await graph.setServicePrincipalNames(action.appId, action.names);
        return `added ${action.added}`;
      });
  }
}

async function graphOutcome(work: () => Promise<string>): Promise<ActionOutcome> {
  try {
    return { ok: true, summary: await work() };
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    // A Graph error with an HTTP status is a definite answer; anything else (network) leaves the outcome unknown.
    if (typeof status === 'number') return { ok: false, error: (error as Error).message };
    throw error;
  }
}
