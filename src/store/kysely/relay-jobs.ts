/** The relay's durable job table on Kysely: every signed job and, once it arrives, its single result. */
import { type Selectable, sql } from 'kysely';
import type { Notice } from '../cluster-repository';
import type { JobRecord, NewJob, RelayRepository } from '../relay-repository';
import { rowsTouched, type StoreContext } from './context';
import { precompiled, slot } from './precompiled';
import type { RelayJobsTable } from './tables';

type JobMethods = Pick<
  RelayRepository,
  'insertJob' | 'recordResult' | 'markJobUnknown' | 'getJob' | 'openJobs' | 'openJobCount' | 'pruneJobs'
>;

type NoticeValues = { channel: string; notice: string };

function toJob(row: Selectable<RelayJobsTable>): JobRecord {
  return {
    jobId: row.job_id,
    agentId: row.agent_id,
    payload: row.payload,
    signature: row.signature,
    state: row.state,
    expiresAt: Number(row.expires_at),
    status: row.status,
    outcome: row.outcome,
  };
}

/** The job half of the relay repository over `context`. */
export function createJobTable({ db, dialect }: StoreContext): JobMethods {
  const jobRow = (jobId: string) =>
    db.selectFrom('relay_jobs').selectAll().where('job_id', '=', jobId).executeTakeFirst();
  // Both run once per job, on the path between the engine and the agent: compiled once.
  const insertQuery = () =>
    db.insertInto('relay_jobs').values({
      job_id: slot('jobId'),
      agent_id: slot('agentId'),
      run_id: slot('runId'),
      step_id: slot('stepId'),
      mode: slot('mode'),
      payload: slot('payload'),
      signature: slot('signature'),
      state: 'dispatched',
      created_at: slot('createdAt'),
      expires_at: slot('expiresAt'),
    });
  const resolveQuery = () =>
    db
      .updateTable('relay_jobs')
      .set({ state: 'resolved', status: slot('status'), outcome: slot('outcome'), resolved_at: slot('at') })
      .where('job_id', '=', slot<string>('jobId'))
      .where('agent_id', '=', slot<string>('agentId'))
      .where('state', '!=', 'resolved');
  type Resolution = { jobId: string; agentId: string; status: string; outcome: string; at: string };
  const insert = precompiled<NewJob>(insertQuery);
  const resolve = precompiled<Resolution>(resolveQuery);
  // The same statements telling another replica on commit (PostgreSQL): no second round trip for NOTIFY.
  const notified = sql`pg_notify(${slot('channel')}, ${slot('notice')})`.as('notified');
  const insertNotifying = precompiled<NewJob & NoticeValues>(() => insertQuery().returning(notified));
  const resolveNotifying = precompiled<Resolution & NoticeValues>(() => resolveQuery().returning(notified));
  const withNotice = (notice: Notice | undefined) =>
    notice && dialect === 'postgres' ? { channel: notice.channel, notice: notice.payload } : null;
  return {
    async insertJob(job, notice) {
      const values = withNotice(notice);
      await (values ? insertNotifying(db, { ...job, ...values }) : insert(db, job));
    },
    async recordResult(jobId, agentId, status, outcome, at, notice) {
      const resolution = { jobId, agentId, status, outcome, at };
      const values = withNotice(notice);
      const touched = await (values
        ? resolveNotifying(db, { ...resolution, ...values })
        : resolve(db, resolution));
      if (touched === 1) return 'recorded';
      const row = await jobRow(jobId);
      if (!row) return 'unknown-job';
      return row.agent_id === agentId ? 'duplicate' : 'wrong-agent';
    },
    async markJobUnknown(jobId, at) {
      await db
        .updateTable('relay_jobs')
        .set({ state: 'unknown', resolved_at: at })
        .where('job_id', '=', jobId)
        .where('state', '=', 'dispatched')
        .execute();
    },
    async getJob(jobId) {
      const row = await jobRow(jobId);
      return row ? toJob(row) : null;
    },
    async openJobs(agentId, now) {
      const rows = await db
        .selectFrom('relay_jobs')
        .selectAll()
        .where('agent_id', '=', agentId)
        .where('state', '=', 'dispatched')
        .where('expires_at', '>', now)
        .orderBy('created_at')
        .execute();
      return rows.map(toJob);
    },
    async openJobCount(agentId) {
      const row = await db
        .selectFrom('relay_jobs')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('agent_id', '=', agentId)
        .where('state', '=', 'dispatched')
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async pruneJobs(before) {
      const result = await db
        .deleteFrom('relay_jobs')
        .where('state', '!=', 'dispatched')
        .where('resolved_at', '<', before)
        .executeTakeFirst();
      return rowsTouched(result);
    },
  };
}
