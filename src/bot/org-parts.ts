/** The commands that work on the org this bot manages: cert, inspect and watch, from src/verify and src/alerts. */

import type { Watch } from '../alerts/watch';
import { runWatchCommand } from '../alerts/watch-command';
import type { Clock, EmsRunner, GraphPort } from '../core/ports';
import { getRunbook } from '../runbooks';
import type { RunbookInputs, RunbookName } from '../runbooks/types';
import { certCommand, inspectCommand } from '../verify/chat-commands';
import type { OptionalParts } from './services';

/** The org the bot manages by default (the lab's, or the one configured for production). */
export interface ManagedOrg {
  readonly id: string;
  /** Shown on cards, e.g. contoso.com. */
  readonly name: string;
  readonly runbook: RunbookName;
  readonly inputs: RunbookInputs;
  readonly testMailbox?: string;
}

const lines = (text: string) => text.split('\n').filter((line) => line.trim() !== '');

/** cert, inspect and (when a watch is given) watch, for one org. */
export function orgParts(
  org: ManagedOrg,
  deps: { ems: EmsRunner; graph: GraphPort; clock: Clock; watch?: Watch },
): OptionalParts {
  const planDeps = { ems: deps.ems, graph: deps.graph, clock: deps.clock };
  return {
    async certificateStatus() {
      const { text } = await certCommand(getRunbook(org.runbook), org.inputs, planDeps);
      return { title: `Auth certificate of ${org.name}`, lines: lines(text) };
    },
    async inspectToken(token) {
      const { text } = inspectCommand(token, {
        now: deps.clock.now(),
        domain: org.inputs.domain,
        ...(org.inputs.tenantId ? { tenantId: org.inputs.tenantId } : {}),
      });
      return { title: 'Token inspection', lines: lines(text) };
    },
    ...(deps.watch
      ? {
          watch: async (args: string) => {
            const { text } = runWatchCommand(deps.watch as Watch, org.id, args);
            return { title: `Watch: ${org.name}`, lines: lines(text) };
          },
        }
      : {}),
  };
}
