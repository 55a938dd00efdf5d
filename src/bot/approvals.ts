/** Approvals on the server: the card carries an id; who asked, what was approved and until when live here. */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/ports';
import type { ApprovalRecord, SavedPlan } from '../store/bot-repositories';
import type { Caller } from './caller';
import { RecentDecisions } from './recent-decisions';
import type { BotRepositories } from './repositories';

export type RequestOutcome =
  | { readonly kind: 'requested'; readonly approval: ApprovalRecord; readonly fresh: boolean }
  | {
      readonly kind: 'refused';
      readonly reason:
        | 'planNotFound'
        | 'planExpired'
        | 'otherConversation'
        | 'noApprovers'
        | 'nothingToChange'
        | 'cautionNotAcknowledged'
        | 'overrideNotAcknowledged';
      readonly message: string;
    };

export type DecisionRefusal =
  | 'notFound'
  | 'expired'
  | 'alreadyDecided'
  | 'ownRequest'
  | 'notEligible'
  | 'otherConversation';

export type DecisionOutcome =
  | { readonly kind: 'approved' | 'rejected'; readonly approval: ApprovalRecord }
  | {
      readonly kind: 'refused';
      readonly reason: DecisionRefusal;
      readonly message: string;
      readonly approval: ApprovalRecord | null;
    };

/** True once the approval can no longer be decided because its time ran out. */
export function isExpired(approval: ApprovalRecord, now: Date): boolean {
  return approval.state === 'pending' && now.toISOString() >= approval.expiresAt;
}

/** The approvals service: request, decide (single-use compare-and-set), supersede. */
export class Approvals {
  /** The decisions being written now, by approval id, each resolving with the approval as it left it. */
  private readonly deciding = new Map<string, Promise<ApprovalRecord>>();
  /** Approvals decided a moment ago, so the clicks that follow a decision do not read the store again. */
  readonly recent: RecentDecisions;

  constructor(
    private readonly store: Pick<BotRepositories, 'plans' | 'approvals' | 'runs'>,
    private readonly clock: Clock,
    private readonly approvers: readonly string[],
    private readonly ttlMinutes: number,
    /** The journal target an approval's audit entries name, from its conversation (null: one org, none named). */
    private readonly targetOf: (conversationId: string) => string | null = () => null,
  ) {
    this.recent = new RecentDecisions(clock);
  }

  /** The approval as a click should judge it: decided a moment ago (from memory), or as the store has it. */
  async read(approvalId: string): Promise<ApprovalRecord | null> {
    const recent = this.recent.get(approvalId);
    if (recent) return recent;
    const approval = await this.store.approvals.getApproval(approvalId);
    this.recent.remember(approval);
    return approval;
  }

  /** Opens an approval for a plan shown in this conversation; asking twice returns the same approval. */
  async request(planId: string, caller: Caller, messageId: string | null): Promise<RequestOutcome> {
    const plan = await this.store.plans.getPlan(planId);
    if (!plan)
      return {
        kind: 'refused',
        reason: 'planNotFound',
        message: 'I do not know that plan. Nothing was requested: run plan again.',
      };
    if (plan.conversationId.split(';')[0] !== caller.conversationId.split(';')[0]) {
      return {
        kind: 'refused',
        reason: 'otherConversation',
        message: 'That plan was made in another conversation. Nothing was requested.',
      };
    }
    const rule = planRule(plan);
    if (rule) return rule;
    const now = this.clock.now();
    if (now.getTime() - Date.parse(plan.createdAt) > this.ttlMinutes * 60_000) {
      return {
        kind: 'refused',
        reason: 'planExpired',
        message: `This plan is older than ${this.ttlMinutes} minutes and the org may have changed: run plan again.`,
      };
    }
    const requester = caller.aadObjectId ?? '';
    const eligible = this.approvers.filter((id) => id.toLowerCase() !== requester);
    if (eligible.length === 0) {
      return {
        kind: 'refused',
        reason: 'noApprovers',
        message:
          'No approver other than you is configured, and nobody may approve their own request. Ask an admin to add a second approver.',
      };
    }
    const approval = {
      id: randomUUID(),
      planId: plan.id,
      conversationId: plan.conversationId,
      requester,
      requesterName: caller.name,
      planHash: plan.hash,
      approvers: eligible,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.ttlMinutes * 60_000).toISOString(),
      messageId,
    };
    const fresh = await this.store.approvals.createApproval(approval);
    const stored = (await this.existingFor(plan)) ?? (await this.store.approvals.getApproval(approval.id));
    if (!stored) throw new Error(`Approval for plan ${plan.id} vanished after it was written.`);
    return { kind: 'requested', approval: stored, fresh };
  }

  /**
   * Decides once: the first eligible approver's click wins; every other click changes nothing. `read` is the
   * approval as this turn already read it (saves reading it again); the compare-and-set decides either way.
   */
  async decide(
    approvalId: string,
    caller: Caller,
    decision: 'approve' | 'reject',
    reason: string | null = null,
    read?: ApprovalRecord | null,
  ): Promise<DecisionOutcome> {
    const approval =
      read === undefined || (read && read.id !== approvalId) ? await this.read(approvalId) : read;
    return this.decideOn(approvalId, approval, caller, decision, reason);
  }

  private async decideOn(
    approvalId: string,
    approval: ApprovalRecord | null,
    caller: Caller,
    decision: 'approve' | 'reject',
    reason: string | null,
  ): Promise<DecisionOutcome> {
    if (!approval) return refused('notFound', 'I have no such approval. Nothing was run.', null);
    if (approval.conversationId.split(';')[0] !== caller.conversationId.split(';')[0]) {
      return refused(
        'otherConversation',
        'That approval belongs to another conversation. Nothing was run.',
        approval,
      );
    }
    const who = caller.aadObjectId ?? '';
    if (who === approval.requester) {
      return refused(
        'ownRequest',
        'You requested this change, so someone else must approve it. Nothing was run.',
        approval,
      );
    }
    if (!approval.approvers.includes(who)) {
      return refused(
        'notEligible',
        'You are not one of the approvers of this request. Nothing was run.',
        approval,
      );
    }
    const now = this.clock.now();
    if (approval.state === 'expired' || isExpired(approval, now)) {
      await this.expireDue();
      return refused(
        'expired',
        'This approval expired before anyone decided. Nothing was run: plan again and request a new approval.',
        (await this.store.approvals.getApproval(approvalId)) ?? approval,
      );
    }
    if (approval.state !== 'pending') return refused('alreadyDecided', alreadyDecided(approval), approval);
    // Clicks at once on one approval: while one tries the compare-and-set, the others wait for it and are judged
    // on the approval as it left it, rather than each sending a write that can only lose.
    const inFlight = this.deciding.get(approvalId);
    if (inFlight) {
      const settled = await inFlight.catch(() => null);
      if (settled && settled.state !== 'pending')
        return this.decideOn(approvalId, settled, caller, decision, reason);
    }
    const state = decision === 'approve' ? 'approved' : 'rejected';
    const attempt = this.compareAndSet(approval, caller, state, now, reason);
    const settled = attempt.then(({ latest }) => latest);
    this.deciding.set(approvalId, settled);
    try {
      const { won, latest } = await attempt;
      if (won) return { kind: state, approval: latest };
      const why = latest.state === 'pending' ? 'expired' : 'alreadyDecided';
      return refused(
        why,
        why === 'expired' ? 'This approval expired. Nothing was run.' : alreadyDecided(latest),
        latest,
      );
    } finally {
      if (this.deciding.get(approvalId) === settled) this.deciding.delete(approvalId);
    }
  }

  /** The single-use decision in the store, and the approval as it is after it. */
  private async compareAndSet(
    approval: ApprovalRecord,
    caller: Caller,
    state: 'approved' | 'rejected',
    now: Date,
    reason: string | null,
  ): Promise<{ won: boolean; latest: ApprovalRecord }> {
    const won = await this.store.approvals.decideApproval(
      approval.id,
      state,
      caller.aadObjectId ?? '',
      caller.name,
      now.toISOString(),
      reason,
    );
    const latest = (await this.store.approvals.getApproval(approval.id)) ?? approval;
    this.recent.remember(latest);
    return { won, latest };
  }

  /** Marks every approval whose time ran out undecided as expired, each in the audit log once. */
  async expireDue(): Promise<ApprovalRecord[]> {
    const now = this.clock.now().toISOString();
    const expired = await this.store.approvals.expirePending(now);
    for (const approval of expired) {
      await this.store.runs.appendAudit({
        at: now,
        actor: 'hybridops',
        action: 'approval.expired',
        runId: null,
        runbook: null,
        target: this.targetOf(approval.conversationId),
        detail: `approval ${approval.id} requested by ${approval.requesterName}, plan hash ${approval.planHash}`,
        outcome: 'expired',
        durationMs: null,
      });
    }
    return expired;
  }

  private existingFor(plan: SavedPlan): Promise<ApprovalRecord | null> {
    // One approval per plan (unique index): a second request click finds the first one.
    return this.store.approvals.getApprovalByPlan(plan.id);
  }
}

/**
 * The approval rules, enforced here and not only by the card: a plan that changes nothing has nothing to approve,
 * and a runbook with a caution needs its acknowledgement.
 */
function planRule(plan: SavedPlan): RequestOutcome | null {
  if (plan.plan.steps.every((step) => step.change === 'none')) {
    return {
      kind: 'refused',
      reason: 'nothingToChange',
      message: 'This plan changes nothing, so there is nothing to approve and nothing was requested.',
    };
  }
  const acknowledged = (JSON.parse(plan.inputs) as { acknowledged?: unknown }).acknowledged === true;
  if (plan.plan.caution && !acknowledged) {
    return {
      kind: 'refused',
      reason: 'cautionNotAcknowledged',
      message: `Runbook ${plan.runbook} has a caution that was not acknowledged, so nothing was requested: read it, then plan again with acknowledge=yes.`,
    };
  }
  if (plan.plan.overrides?.length && !acknowledged) {
    return {
      kind: 'refused',
      reason: 'overrideNotAcknowledged',
      message: `This plan changes objects runbook ${plan.plan.overrides.join(', ')} set, and that was not acknowledged, so nothing was requested: plan again with acknowledge=yes.`,
    };
  }
  return null;
}

function refused(reason: DecisionRefusal, message: string, approval: ApprovalRecord | null): DecisionOutcome {
  return { kind: 'refused', reason, message, approval };
}

function alreadyDecided(approval: ApprovalRecord): string {
  const by = approval.decidedByName ? ` by ${approval.decidedByName}` : '';
  const what =
    approval.state === 'approved' || approval.state === 'rejected'
      ? approval.state
      : `closed (${approval.state})`;
  return `This request was already ${what}${by}. Nothing more was run.`;
}
