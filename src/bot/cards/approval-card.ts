/** The approval card: approvers see Approve/Reject through `refresh`; everyone else sees a read-only view. */
import type { AdaptiveCard } from '@microsoft/teams-ai';
import type { Plan } from '../../engine/plan-types';
import type { ApprovalRecord } from '../../store/bot-repositories';
import { isExpired } from '../approvals';
import { card, type Element, execute, facts, heading, shortId, type Tone, text, VERBS } from './elements';
import { changeSummary, stepRow, toggleAllCommands } from './plan-card';

export type ApprovalView = 'approver' | 'readOnly';

export interface ApprovalCardOptions {
  readonly view: ApprovalView;
  readonly now: Date;
  /** Teams user ids whose clients refresh the card automatically (the eligible approvers). */
  readonly refreshUserIds?: readonly string[];
  /** A line for the person who clicked, e.g. why their click changed nothing. */
  readonly notice?: { readonly text: string; readonly tone: Tone };
  /** Display names of Entra object ids, where known, to name the eligible approvers. */
  readonly names?: ReadonlyMap<string, string>;
}

/** The id of the reject reason's input; its value comes back in the Reject action's data. */
export const REASON_INPUT = 'reason';

const TITLE: Record<ApprovalRecord['state'], string> = {
  pending: 'Approval needed',
  approved: 'Approved',
  rejected: 'Rejected',
  superseded: 'Not run (plan changed)',
  cancelled: 'Withdrawn',
  expired: 'Expired',
};

/** The eligible approvers by name; those not seen in Teams yet are counted. */
export function approverNames(
  approval: ApprovalRecord,
  names: ReadonlyMap<string, string> = new Map(),
): string {
  const known = approval.approvers.flatMap((id) => {
    const name = names.get(id.toLowerCase());
    return name ? [name] : [];
  });
  const unknown = approval.approvers.length - known.length;
  const others =
    unknown === 0 ? [] : [`${unknown} ${known.length ? 'other ' : ''}approver(s) not yet seen here`];
  return [...known, ...others].join(', ');
}

const time = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/** The status line of an approval, in the admin's words. */
export function approvalStatus(approval: ApprovalRecord, now: Date): { text: string; tone: Tone } {
  if (isExpired(approval, now))
    return {
      text: `Expired at ${time(approval.expiresAt)}: nothing was run. Plan again to ask anew.`,
      tone: 'warning',
    };
  switch (approval.state) {
    case 'pending':
      return {
        text: `Waiting for an approver (${approval.approvers.length} eligible); expires at ${time(approval.expiresAt)}.`,
        tone: 'accent',
      };
    case 'approved':
      return {
        text: `Approved by ${approval.decidedByName ?? 'an approver'} at ${time(approval.decidedAt ?? approval.createdAt)}.`,
        tone: 'good',
      };
    case 'rejected':
      return {
        text: `Rejected by ${approval.decidedByName ?? 'an approver'} at ${time(approval.decidedAt ?? approval.createdAt)}: nothing was run.${approval.reason ? ` Reason: ${approval.reason}` : ''}`,
        tone: 'attention',
      };
    case 'superseded':
      return {
        text: `Not run: ${approval.reason ?? 'the plan changed since it was approved'}.`,
        tone: 'warning',
      };
    case 'cancelled':
      return {
        text: `Withdrawn${approval.reason ? ` (${approval.reason})` : ''}: nothing was run from it.`,
        tone: 'warning',
      };
    case 'expired':
      return {
        text: `Expired at ${time(approval.expiresAt)}: nothing was run. Plan again to ask anew.`,
        tone: 'warning',
      };
  }
}

interface ApprovalSteps {
  readonly rows: readonly Element[];
  readonly toggles: readonly Element[];
}

/**
 * The step list of an approval's card, made once per plan and approval: every click on the card, and the copy
 * for everyone, show the same steps (saved plans are read back as one shared, frozen object). Not to be mutated.
 */
const stepLists = new WeakMap<Plan, Map<string, ApprovalSteps>>();

function approvalSteps(plan: Plan, approvalId: string): ApprovalSteps {
  const known = stepLists.get(plan)?.get(approvalId);
  if (known) return known;
  // The steps that change stay on the card whatever happens to it: what is (or was) approved, as approved.
  // Unchanged steps are counted, not listed.
  const prefix = `approval-${shortId(approvalId)}`;
  const changing = plan.steps
    .map((step, index) => ({ step, index }))
    .filter(({ step }) => step.change !== 'none');
  const rows = changing.flatMap(({ step, index }) => stepRow(step, index, prefix));
  const unchanged = plan.steps.length - changing.length;
  if (unchanged > 0)
    rows.push(
      text(`${unchanged} step(s) already in place are not listed.`, { size: 'Small', isSubtle: true }),
    );
  const steps: ApprovalSteps = {
    rows,
    toggles: toggleAllCommands(
      plan.steps,
      prefix,
      changing.map(({ index }) => index),
    ),
  };
  const forPlan = stepLists.get(plan) ?? new Map<string, ApprovalSteps>();
  forPlan.set(approvalId, steps);
  stepLists.set(plan, forPlan);
  return steps;
}

/** The approval card for one viewer. */
export function approvalCard(
  approval: ApprovalRecord,
  plan: Plan,
  options: ApprovalCardOptions,
): AdaptiveCard {
  const status = approvalStatus(approval, options.now);
  const open = approval.state === 'pending' && !isExpired(approval, options.now);
  const title = open || approval.state !== 'pending' ? TITLE[approval.state] : TITLE.expired;
  const decided = approval.decidedByName
    ? [
        [
          approval.state === 'approved' ? 'Approved by' : 'Decided by',
          `${approval.decidedByName}, ${time(approval.decidedAt ?? approval.createdAt)}`,
        ] as const,
      ]
    : [];
  const body: Element[] = [
    ...heading(`${title}: ${plan.title}`, status.text, status.tone),
    facts([
      ['Requested by', approval.requesterName],
      ['Approvers', approverNames(approval, options.names)],
      ...decided,
      ['Runbook', plan.runbook],
      ['Approval', shortId(approval.id)],
      ['Plan hash', approval.planHash.slice(0, 12)],
    ]),
    text(changeSummary(plan), { weight: 'Bolder' }),
  ];
  if (plan.caution) body.push(text(`Caution: ${plan.caution}`, { color: 'attention', weight: 'Bolder' }));
  const steps = approvalSteps(plan, approval.id);
  body.push(...steps.rows);
  if (options.notice) body.push(text(options.notice.text, { color: options.notice.tone, weight: 'Bolder' }));
  const approver = open && options.view === 'approver';
  if (approver)
    body.push({
      type: 'Input.Text',
      id: REASON_INPUT,
      label: 'Reason (optional, shown with a rejection)',
      placeholder: 'Why not?',
      maxLength: 500,
    });
  const decide = approver
    ? [
        execute('Approve', VERBS.approve, { approvalId: approval.id }, 'positive'),
        execute('Reject', VERBS.reject, { approvalId: approval.id }, 'destructive'),
      ]
    : [];
  const actions = [...decide, ...steps.toggles];
  if (open && options.view === 'readOnly') {
    body.push(
      text('Only a configured approver other than the requester sees Approve and Reject here.', {
        size: 'Small',
        isSubtle: true,
      }),
    );
  }
  const refresh = open
    ? {
        refresh: {
          action: { type: 'Action.Execute', verb: VERBS.refreshApproval, data: { approvalId: approval.id } },
          ...(options.refreshUserIds?.length ? { userIds: [...options.refreshUserIds] } : {}),
        },
      }
    : {};
  return card(body, actions, refresh);
}
