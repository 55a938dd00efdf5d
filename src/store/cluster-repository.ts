/**
 * What replicas of the bot on one PostgreSQL database share: their leases, which one holds each relay
 * agent's connection, which one runs each run, and each org's last claimed watch scan. A replica is alive
 * while its lease (renewed every few seconds) is in the future; whatever a dead replica held is free.
 */

/** The shared state of the bot's replicas. Times are ISO-8601 UTC text, as everywhere in the store. */
export interface ClusterRepository {
  /** Starts or renews a replica's lease until `leaseUntil`. */
  renewReplica(id: string, startedAt: string, leaseUntil: string): Promise<void>;
  /** Forgets a replica that stops cleanly: what it held is free at once, not when its lease ends. */
  removeReplica(id: string): Promise<void>;
  /** The replicas whose lease has not ended by `now`. */
  liveReplicas(now: string): Promise<string[]>;
  /** Records that `replicaId` now holds the agent's connection (replacing any older holder). */
  setAgentRoute(agentId: string, replicaId: string, at: string): Promise<void>;
  /** Forgets the agent's route if `replicaId` still holds it. */
  clearAgentRoute(agentId: string, replicaId: string): Promise<void>;
  /** The live replica holding the agent's connection, or null. */
  agentRoute(agentId: string, now: string): Promise<string | null>;
  /** The live replica holding the agent's connection and when its lease ends (it may be renewed), or null. */
  agentHolder(agentId: string, now: string): Promise<{ replicaId: string; leaseUntil: string } | null>;
  /** Every agent a live replica holds, with that replica. */
  agentRoutes(now: string): Promise<Map<string, string>>;
  /**
   * Makes `replicaId` the run's owner when no live replica owns it; true when it owns the run now. A run
   * nobody ever owned is taken only when it was created before `unownedBefore`: its creator claims it
   * just after creating it, and must not lose it in between.
   */
  claimRun(runId: string, replicaId: string, now: string, unownedBefore: string): Promise<boolean>;
  /** Runs still running (approved, on `target`) that no live replica owns: the ones to take over. */
  orphanedRuns(target: string, now: string, unownedBefore: string): Promise<string[]>;
  /**
   * Claims the org's scan at `slot` (the schedule's time); true for the first replica to claim it only. On
   * PostgreSQL the claim is made under the org's advisory lock (transaction-scoped), so two replicas
   * claiming at the same instant never both read the old slot; a replica that finds the lock taken loses.
   */
  claimWatchSlot(orgId: string, slot: string, replicaId: string): Promise<boolean>;
  /**
   * Claims many orgs' scans at `slot` in one statement, as `claimWatchSlot` claims one; the orgs claimed. On
   * PostgreSQL an org another replica is claiming at that instant is skipped (the other replica has it).
   */
  claimWatchSlots(orgIds: readonly string[], slot: string, replicaId: string): Promise<string[]>;
  /** Marks the orgs' scans at `slot` as finished (by whichever replica ran them). */
  finishWatchSlots(orgIds: readonly string[], slot: string): Promise<void>;
  /**
   * Takes over the orgs' scans at `slot` that a replica dead by `now` claimed and never finished: `taken`,
   * now `replicaId`'s to run. `waiting`: those a live replica still runs (worth asking again later).
   */
  takeOverWatchSlots(
    orgIds: readonly string[],
    slot: string,
    replicaId: string,
    now: string,
  ): Promise<{ taken: string[]; waiting: string[] }>;
  /** Sends `payload` to whoever listens on `channel` (PostgreSQL NOTIFY; committed at once). */
  notify(channel: string, payload: string): Promise<void>;
}

/**
 * A message to other replicas that rides on a write: NOTIFY `channel` with `payload` in the same statement,
 * so it goes out when (and only if) the write commits. PostgreSQL only: on SQLite there is one process and
 * nobody to tell, and a write given a notice ignores it.
 */
export interface Notice {
  readonly channel: string;
  readonly payload: string;
}

/** Messages from other replicas, as `Store.listen` delivers them. */
export interface Listener {
  close(): Promise<void>;
}
