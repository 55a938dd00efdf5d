/** The bot's records: saved plans, approvals with single-use decisions, and conversation references. */
import type { Plan } from '../core/plan';

/** A plan as shown on a card, saved so an approval can bind to it. */
export interface SavedPlan {
  readonly id: string;
  readonly runbook: string;
  /** The validated inputs, as JSON. */
  readonly inputs: string;
  readonly hash: string;
  readonly plan: Plan;
  readonly conversationId: string;
  readonly createdBy: string;
  readonly createdAt: string;
}

/** Saved plans; a stored plan that no longer matches the plan schema is refused (CodedError CORRUPT_PLAN). */
export interface PlanRepository {
  savePlan(plan: SavedPlan): Promise<void>;
  getPlan(id: string): Promise<SavedPlan | null>;
  /** Records the message id of the card the bot posted for a plan; the first one stays (false if one did). */
  recordPlanCard(planId: string, messageId: string): Promise<boolean>;
  /** The message id of the card the bot posted for a plan, or null when it recorded none. */
  getPlanCard(planId: string): Promise<string | null>;
}

export type ApprovalState = 'pending' | 'approved' | 'rejected' | 'superseded' | 'cancelled' | 'expired';

export interface ApprovalRecord {
  readonly id: string;
  readonly planId: string;
  readonly conversationId: string;
  /** Entra object id of the operator who asked. */
  readonly requester: string;
  readonly requesterName: string;
  readonly planHash: string;
  /** Entra object ids allowed to decide (the requester is never among them). */
  readonly approvers: readonly string[];
  readonly state: ApprovalState;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly decidedBy: string | null;
  readonly decidedByName: string | null;
  readonly decidedAt: string | null;
  readonly runId: string | null;
  /** The card's message id, to update it for everyone. */
  readonly messageId: string | null;
  readonly reason: string | null;
  /** The run card's message id, so a restarted bot can update it. */
  readonly runMessageId: string | null;
  /** The conversation reference the run card was posted with, as JSON the bot defines. */
  readonly runReference: string | null;
}

export type NewApproval = Omit<
  ApprovalRecord,
  'state' | 'decidedBy' | 'decidedByName' | 'decidedAt' | 'runId' | 'reason' | 'runMessageId' | 'runReference'
>;

/** Approvals; every decision is one compare-and-set statement, so two clicks cannot both win. */
export interface ApprovalRepository {
  /** Inserts a pending approval; false when the plan already has one (or the id is taken). */
  createApproval(approval: NewApproval): Promise<boolean>;
  getApproval(id: string): Promise<ApprovalRecord | null>;
  getApprovalByPlan(planId: string): Promise<ApprovalRecord | null>;
  /** The one pending approval whose id starts with `prefix` (at least 4 hex characters), if exactly one does. */
  findPendingApproval(prefix: string): Promise<ApprovalRecord | null>;
  /** Compare-and-set from pending to a decision, only before expiry; true for the single winner. */
  decideApproval(
    id: string,
    state: 'approved' | 'rejected',
    by: string,
    byName: string,
    at: string,
    /** Why, as the approver typed it (a rejection's reason). */
    reason?: string | null,
  ): Promise<boolean>;
  /** The pending approvals, newest first (expired ones included until expirePending moves them). */
  listPendingApprovals(limit: number): Promise<ApprovalRecord[]>;
  /** Moves an approval without a run out of pending or approved (superseded, cancelled) with a reason. */
  closeApproval(id: string, state: 'superseded' | 'cancelled', reason: string, at: string): Promise<boolean>;
  /** Moves every pending approval whose time has run out by `at` to expired; resolves with those it moved. */
  expirePending(at: string): Promise<ApprovalRecord[]>;
  setApprovalMessage(id: string, messageId: string): Promise<void>;
  setApprovalRun(id: string, runId: string): Promise<void>;
  /** Where the run card of the approval's run is: the conversation reference (JSON) and, once posted, its message id. */
  setRunCard(
    id: string,
    card: { readonly reference: string; readonly messageId: string | null },
  ): Promise<void>;
  findApprovalByRun(runId: string): Promise<ApprovalRecord | null>;
}

/** How long a refreshed reference is taken as stored without asking the database again. */
export const REFERENCE_RECHECK_MS = 60_000;

export interface StoredReference<Reference extends object> {
  readonly reference: Reference;
  readonly updatedAt: string;
  readonly removedAt: string | null;
}

/** Where to post proactively: one reference per key (a channel, a user), kept as JSON the caller defines. */
export interface ConversationRepository<Reference extends object = Record<string, unknown>> {
  /** Saves the reference; an unchanged one is not rewritten (its `updatedAt` stays), a removed one comes back. */
  saveReference(key: string, reference: Reference, at: string): Promise<void>;
  /**
   * Saves the reference as `saveReference` does, unless this process saved or refreshed the same one under the
   * same key less than `REFERENCE_RECHECK_MS` before `at` and has not marked it removed since: for the calls
   * every admin-channel message makes. A removal by another process is undone by the first refresh after that.
   */
  refreshReference(key: string, reference: Reference, at: string): Promise<void>;
  getReference(key: string): Promise<StoredReference<Reference> | null>;
  markReferenceRemoved(key: string, at: string): Promise<void>;
}
