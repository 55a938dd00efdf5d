/** Runs among replicas on PostgreSQL: each run has one owner, and a run whose owner died is taken over. */
import type { Replica } from '../../store/replica';
import type { RunLeases } from './types';

/** Runs owned through the replica's lease: a run is taken over once its owner's lease has ended. */
export function runLeasesOf(replica: Replica): RunLeases {
  const at = (offsetMs: number) => new Date(Date.parse(replica.now()) + offsetMs).toISOString();
  return {
    sweepMs: replica.leaseMs,
    claimNew: async (runId) => {
      await replica.cluster.claimRun(runId, replica.id, replica.now(), at(replica.leaseMs));
    },
    // A run nobody owns yet may be its creator's, about to claim it: taken only once older than a lease.
    claim: (runId) => replica.cluster.claimRun(runId, replica.id, replica.now(), at(-replica.leaseMs)),
  };
}
