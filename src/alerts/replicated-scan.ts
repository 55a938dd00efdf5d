/** The watch with several replicas on PostgreSQL: each org's scheduled scan runs on one replica per slot. */
import type { Replica } from '../store/replica';
import type { ScheduledScan } from './watch';

/**
 * A `scheduled` for createWatch: only the replica that claims the org's slot first (under the org's advisory
 * lock) scans it; the others skip that slot. No connection is held while the scan runs.
 */
export function scanOncePerSlot(replica: Pick<Replica, 'id' | 'cluster'>): ScheduledScan {
  return async (orgId, slot, scan) =>
    (await replica.cluster.claimWatchSlot(orgId, slot, replica.id)) ? scan() : null;
}
