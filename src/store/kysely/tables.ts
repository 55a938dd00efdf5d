/**
 * The tables as Kysely sees them. Column types are the same on SQLite and PostgreSQL: times are ISO-8601
 * UTC text (they order as text, as the SQLite store always compared them), flags are 0/1 integers, JSON
 * documents are text. The one exception is `run_commands.seq`, PostgreSQL's stand-in for SQLite's rowid.
 */
import type { Generated } from 'kysely';
import type { ApprovalState } from '../bot-repositories';
import type { JobState } from '../relay-repository';
import type { CommandState, RunState, StepState } from '../types';
import type { AlertState } from '../watch-repository';

export interface RunsTable {
  id: string;
  runbook: string;
  target: string;
  inputs: string;
  requested_by: string;
  approved_by: string | null;
  state: RunState;
  created_at: string;
  finished_at: string | null;
  /** The saved plan the run executes, as JSON (runs-0003). */
  plan: string | null;
  plan_hash: string | null;
  reason: string | null;
}

export interface RunStepsTable {
  run_id: string;
  step_id: string;
  position: number;
  title: string;
  state: StepState;
  change: string;
  error: string | null;
}

export interface RunCommandsTable {
  run_id: string;
  step_id: string;
  text: string;
  state: CommandState;
  started_at: string;
  duration_ms: number | null;
  result: string | null;
  /** The audit entry of its last sending (runs-0003). */
  sent_seq: number | null;
}

export interface RunValuesTable {
  run_id: string;
  name: string;
  /** The bound output object, as JSON. */
  value: string;
}

export interface AuditLogTable {
  seq: Generated<number>;
  at: string;
  actor: string;
  action: string;
  run_id: string | null;
  runbook: string | null;
  target: string | null;
  detail: string;
  outcome: string | null;
  duration_ms: number | null;
  completes: number | null;
}

export interface BotPlansTable {
  id: string;
  runbook: string;
  inputs: string;
  hash: string;
  plan: string;
  conversation_id: string;
  created_by: string;
  created_at: string;
}

export interface BotPlanCardsTable {
  plan_id: string;
  message_id: string;
}

export interface BotApprovalsTable {
  id: string;
  plan_id: string;
  conversation_id: string;
  requester: string;
  requester_name: string;
  plan_hash: string;
  /** JSON array of Entra object ids. */
  approvers: string;
  state: ApprovalState;
  created_at: string;
  expires_at: string;
  decided_by: string | null;
  decided_by_name: string | null;
  decided_at: string | null;
  run_id: string | null;
  message_id: string | null;
  reason: string | null;
  /** The run card's message, and the conversation reference it was posted with, as JSON (bot-0002). */
  run_message_id: string | null;
  run_reference: string | null;
}

export interface BotConversationsTable {
  key: string;
  reference: string;
  updated_at: string;
  removed_at: string | null;
}

export interface WatchOrgsTable {
  org_id: string;
  org: string;
  enabled: number;
  thresholds: string;
  schedule: string;
  last_scan_at: string | null;
  last_scan_outcome: string | null;
}

export interface WatchCheckStateTable {
  org_id: string;
  check_id: string;
  ok: number;
  alerted: number;
  since: string;
}

export interface WatchThresholdMarksTable {
  org_id: string;
  item_id: string;
  threshold: number;
  at: string;
}

export interface WatchAlertsTable {
  id: string;
  org_id: string;
  created_at: string;
  state: AlertState;
  subjects: string;
  card: string;
  message_id: string | null;
  snoozed_until: string | null;
  resolved_at: string | null;
}

export interface RelayAgentsTable {
  id: string;
  secret_hash: string;
  created_at: string;
  rotated_at: string | null;
  revoked_at: string | null;
  last_seen_at: string | null;
  version: string | null;
}

export interface RelayJobsTable {
  job_id: string;
  agent_id: string;
  run_id: string | null;
  step_id: string | null;
  mode: string;
  payload: string;
  signature: string;
  state: JobState;
  created_at: string;
  /** Epoch milliseconds (bigint on PostgreSQL, read back as a number). */
  expires_at: number;
  status: string | null;
  outcome: string | null;
  resolved_at: string | null;
}

export interface ClusterReplicasTable {
  id: string;
  started_at: string;
  lease_until: string;
}

export interface ClusterAgentRoutesTable {
  agent_id: string;
  replica_id: string;
  since: string;
}

export interface ClusterRunOwnersTable {
  run_id: string;
  replica_id: string;
  since: string;
}

export interface ClusterWatchSlotsTable {
  org_id: string;
  slot: string;
  replica_id: string;
}

/** Each org's last finished scheduled scan (the slot it was for). */
export interface ClusterWatchFinishedTable {
  org_id: string;
  slot: string;
}

export interface StoreTables {
  runs: RunsTable;
  run_steps: RunStepsTable;
  run_commands: RunCommandsTable;
  run_values: RunValuesTable;
  audit_log: AuditLogTable;
  bot_plans: BotPlansTable;
  bot_plan_cards: BotPlanCardsTable;
  bot_approvals: BotApprovalsTable;
  bot_conversations: BotConversationsTable;
  watch_orgs: WatchOrgsTable;
  watch_check_state: WatchCheckStateTable;
  watch_threshold_marks: WatchThresholdMarksTable;
  watch_alerts: WatchAlertsTable;
  relay_agents: RelayAgentsTable;
  relay_jobs: RelayJobsTable;
  cluster_replicas: ClusterReplicasTable;
  cluster_agent_routes: ClusterAgentRoutesTable;
  cluster_run_owners: ClusterRunOwnersTable;
  cluster_watch_slots: ClusterWatchSlotsTable;
  cluster_watch_finished: ClusterWatchFinishedTable;
}
