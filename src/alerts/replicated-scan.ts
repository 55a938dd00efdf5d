/**
 * The watch with several replicas on PostgreSQL: each org's scheduled scan runs on one replica per slot. At a
 * tick of the schedule every replica's timers fire for every org at once; the claims they make are gathered
 * into one statement per batch, and each replica lists a batch in an order of its own, so two replicas
 * claiming the same orgs at the same instant share them out instead of queueing behind each other. A claim
 * is marked finished when its scan ends; the orgs a replica claimed and never finished because it died are
 * taken over, in the same slot, by a replica that lost them to it, once its lease has ended.
 */
import { createHash } from 'node:crypto';
import { errorMessage } from '../core/errors';
import type { Replica } from '../store/replica';
import type { ScheduledScan } from './watch';

/** The most orgs one claim statement names. */
export const CLAIM_BATCH = 200;

type ReplicaView = Pick<Replica, 'id' | 'cluster' | 'now' | 'leaseMs'>;

export interface ReplicatedScanOptions {
  /** How often a replica asks about the orgs another replica is scanning (default: half the lease). */
  readonly retryMs?: number;
  /** Told when a scan taken over from a dead replica fails (default: a process warning). */
  readonly onTakeOverError?: (orgId: string, error: unknown) => void;
}

/**
 * A `scheduled` for createWatch: only the replica that claims the org's slot first (under the org's advisory
 * lock) scans it; the others skip that slot, unless the winner dies before it finishes. No connection is
 * held while a scan runs.
 */
export function scanOncePerSlot(replica: ReplicaView, options: ReplicatedScanOptions = {}): ScheduledScan {
  const { cluster, id } = replica;
  const rank = (orgId: string) => createHash('sha1').update(`${id}:${orgId}`).digest().readUInt32BE();
  const claim = gathered(async (slot, orgIds) => {
    const ordered = orgIds
      .map((orgId) => ({ orgId, rank: rank(orgId) }))
      .sort((x, y) => x.rank - y.rank)
      .map((org) => org.orgId);
    return new Set(await cluster.claimWatchSlots(ordered, slot, id));
  });
  const finish = gathered(async (slot, orgIds) => {
    await cluster.finishWatchSlots(orgIds, slot);
    return new Set(orgIds);
  });
  const run = async (orgId: string, slot: string, scan: () => Promise<unknown>) => {
    try {
      return await scan();
    } finally {
      // A mark not written keeps the replicas that lost the org asking until the next slot; only if this
      // replica dies meanwhile does one of them scan the org again.
      finish(orgId, slot).catch(() => undefined);
    }
  };
  const onTakeOverError =
    options.onTakeOverError ??
    ((orgId: string, error: unknown) =>
      process.emitWarning(`The watch could not scan ${orgId} for a dead replica: ${errorMessage(error)}`));
  const lost = new TakeOvers(replica, options.retryMs ?? Math.max(50, replica.leaseMs / 2), (orgId, work) =>
    work().catch((error: unknown) => onTakeOverError(orgId, error)),
  );
  return async (orgId, slot, scan) => {
    if (await claim(orgId, slot)) return run(orgId, slot, scan);
    lost.add(orgId, slot, () => run(orgId, slot, scan));
    return null;
  };
}

interface Pending {
  readonly orgId: string;
  readonly slot: string;
  readonly resolve: (done: boolean) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Gathers calls into rounds: those made while one round runs go together in the next, as one `work` per
 * slot and `CLAIM_BATCH` orgs. A call resolves true when its org is in the set `work` returned (once).
 */
function gathered(
  work: (slot: string, orgIds: string[]) => Promise<ReadonlySet<string>>,
): (orgId: string, slot: string) => Promise<boolean> {
  const pending: Pending[] = [];
  let running = false;
  const batch = async (slot: string, calls: readonly Pending[]) => {
    try {
      const chosen = new Set(await work(slot, [...new Set(calls.map((call) => call.orgId))]));
      // An org asked for twice in one round is given once.
      for (const call of calls) call.resolve(chosen.delete(call.orgId));
    } catch (error) {
      for (const call of calls) call.reject(error);
    }
  };
  const round = async () => {
    const bySlot = new Map<string, Pending[]>();
    for (const call of pending.splice(0)) {
      const same = bySlot.get(call.slot);
      if (same) same.push(call);
      else bySlot.set(call.slot, [call]);
    }
    const batches = [...bySlot].flatMap(([slot, calls]) =>
      Array.from({ length: Math.ceil(calls.length / CLAIM_BATCH) }, (_, index) =>
        batch(slot, calls.slice(index * CLAIM_BATCH, (index + 1) * CLAIM_BATCH)),
      ),
    );
    await Promise.all(batches);
    if (pending.length > 0) setImmediate(() => void round());
    else running = false;
  };
  return (orgId, slot) =>
    new Promise<boolean>((resolve, reject) => {
      pending.push({ orgId, slot, resolve, reject });
      if (running) return;
      running = true;
      // The rest of this turn's calls (every org's timer fires at the same tick) join the first round.
      setImmediate(() => void round());
    });
}

/** The orgs this replica lost to another, per slot, asked about every `retryMs` until each is finished. */
class TakeOvers {
  private readonly lost = new Map<string, Map<string, () => Promise<unknown>>>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly replica: ReplicaView,
    private readonly retryMs: number,
    private readonly start: (orgId: string, work: () => Promise<unknown>) => void,
  ) {}

  /** Remembers a lost org's scan, to run if its winner dies before finishing it. */
  add(orgId: string, slot: string, work: () => Promise<unknown>): void {
    const orgs = this.lost.get(slot) ?? new Map<string, () => Promise<unknown>>();
    orgs.set(orgId, work);
    this.lost.set(slot, orgs);
    this.timer ??= setTimeout(() => void this.check(), this.retryMs).unref();
  }

  private async check(): Promise<void> {
    const { cluster, id, now } = this.replica;
    for (const [slot, orgs] of [...this.lost]) {
      try {
        const { taken, waiting } = await cluster.takeOverWatchSlots([...orgs.keys()], slot, id, now());
        for (const orgId of taken) this.start(orgId, orgs.get(orgId) as () => Promise<unknown>);
        const still = new Set(waiting);
        for (const orgId of [...orgs.keys()]) if (!still.has(orgId)) orgs.delete(orgId);
      } catch {
        // The database is unreachable or closed: this slot's scans stay with whoever has them.
        orgs.clear();
      }
      if (orgs.size === 0) this.lost.delete(slot);
    }
    this.timer = this.lost.size > 0 ? setTimeout(() => void this.check(), this.retryMs).unref() : null;
  }
}
