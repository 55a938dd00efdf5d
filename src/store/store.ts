/** The store as the composition root opens it: every repository over one database, SQLite or PostgreSQL. */
import type { ApprovalRepository, ConversationRepository, PlanRepository } from './bot-repositories';
import type { ClusterRepository, Listener } from './cluster-repository';
import type { StoreDialect } from './database-url';
import type { RelayRepository } from './relay-repository';
import type { RunRepository } from './run-repository';
import type { WatchedOrgDocument, WatchRepository } from './watch-repository';

/**
 * The JSON documents the store keeps for the layers above it. The store reads nothing in them but a
 * watched org's `id`; whoever opens the store names their types once (see `openStore`).
 */
export interface StoredDocuments {
  readonly watchedOrg: WatchedOrgDocument;
  readonly alertCard: unknown;
  readonly conversationReference: object;
}

/** Every repository, all on the same database (or the same transaction). */
export interface Repositories<Documents extends StoredDocuments = StoredDocuments> {
  readonly runs: RunRepository;
  readonly plans: PlanRepository;
  readonly approvals: ApprovalRepository;
  readonly conversations: ConversationRepository<Documents['conversationReference']>;
  readonly watch: WatchRepository<Documents['watchedOrg'], Documents['alertCard']>;
  readonly relay: RelayRepository;
  readonly cluster: ClusterRepository;
}

/** An open store. Close it once; every repository shares its connection (SQLite) or pool (PostgreSQL). */
export interface Store<Documents extends StoredDocuments = StoredDocuments> extends Repositories<Documents> {
  readonly dialect: StoreDialect;
  /**
   * Runs `work` in one transaction: committed if it resolves, rolled back if it rejects. Use only the
   * repositories it is given: on SQLite, a call through the store's own ones inside `work` waits for the
   * one connection, which the transaction holds until `work` ends, so it never returns.
   */
  transaction<T>(work: (tx: Repositories<Documents>) => Promise<T>): Promise<T>;
  /**
   * Runs pending migrations (openStore does unless told not to); resolves with the names it ran. Call it
   * before the store serves queries: on SQLite the migrations hold the one connection in a transaction.
   */
  migrate(): Promise<string[]>;
  /**
   * PostgreSQL: listens on `channels` over a connection of its own (the replicas' messages, see
   * `src/store/replica.ts`). Null on SQLite, which serves one process.
   */
  readonly listen:
    | ((
        channels: readonly string[],
        onMessage: (channel: string, payload: string) => void,
      ) => Promise<Listener>)
    | null;
  /** Resolves when the database answers a trivial query; rejects with why it did not (the health check). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
