/**
 * Approvals decided a moment ago, kept in memory: a decision is final, so the clicks that follow it (a double
 * click, Teams sending an invoke again, a second approver a second late) are answered without reading the store
 * again. The detail of the answer ("already approved by …") may be a few seconds old; whether it was decided
 * never is. Refusals are audited once per person and approval, and not at all for the person who decided.
 */
import type { Clock } from '../core/ports';
import type { ApprovalRecord } from '../store/bot-repositories';

/** How long a decided approval is answered from memory. */
const KEEP_MS = 10_000;
/** At most this many remembered; the oldest go first. */
const MAX = 1_000;

export class RecentDecisions {
  private readonly decided = new Map<string, { approval: ApprovalRecord; until: number }>();
  private readonly refusals = new Set<string>();

  constructor(private readonly clock: Clock) {}

  /** The approval as decided, when it was decided within the last seconds; otherwise undefined. */
  get(approvalId: string): ApprovalRecord | undefined {
    const entry = this.decided.get(approvalId);
    if (!entry) return undefined;
    if (entry.until > this.clock.now().getTime()) return entry.approval;
    this.decided.delete(approvalId);
    return undefined;
  }

  /** Remembers an approval that is no longer pending (a pending one is never remembered). */
  remember(approval: ApprovalRecord | null): void {
    if (!approval || approval.state === 'pending') return;
    const until = this.clock.now().getTime() + KEEP_MS;
    this.decided.delete(approval.id);
    this.decided.set(approval.id, { approval, until });
    trim(this.decided);
  }

  /**
   * Whether a click refused because the approval was already decided goes into the audit log: not when it is
   * the decider's own repeat, and once per other person.
   */
  firstRefusal(approval: ApprovalRecord, who: string): boolean {
    if (who !== '' && who === approval.decidedBy) return false;
    const key = `${approval.id} ${who}`;
    if (this.refusals.has(key)) return false;
    this.refusals.add(key);
    trim(this.refusals);
    return true;
  }
}

/** Drops the oldest entries past MAX (a Map or Set iterates in insertion order). */
function trim(entries: Map<string, unknown> | Set<string>): void {
  for (const key of entries.keys()) {
    if (entries.size <= MAX) return;
    entries.delete(key);
  }
}
