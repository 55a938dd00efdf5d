/** The watch with several replicas on PostgreSQL: each org's scheduled scan runs on one replica per slot. */
import type { Replica } from '../store/replica';
import type { ScheduledScan } from './watch';

/**
 * A `scheduled` for createWatch: the scan runs under the org's advisory lock (no two scans of one org at
 * once, on any replica), and only on the replica that claims the schedule's slot first (once per slot).
 */
export function scanOncePerSlot(replica: Pick<Replica, 'id' | 'cluster'>): ScheduledScan {
  return async (orgId, slot, scan) => {
    const outcome = await replica.cluster.exclusively(`hybridops:watch:${orgId}`, async () =>
      (await replica.cluster.claimWatchSlot(orgId, slot, replica.id)) ? scan() : null,
    );
    return outcome.ran ? outcome.value : null;
  };
}
