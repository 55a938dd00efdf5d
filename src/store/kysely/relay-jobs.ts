/** The relay's durable job table on Kysely: every signed job and, once it arrives, its single result. */
import type { Selectable } from 'kysely';
import type { JobRecord, NewJob, RelayRepository } from '../relay-repository';
import { rowsTouched, type StoreContext } from './context';
import { precompiled, slot } from './precompiled';
import type { RelayJobsTable } from './tables';

type JobMethods = Pick<
  RelayRepository,
  'insertJob' | 'recordResult' | 'markJobUnknown' | 'getJob' | 'openJobs' | 'openJobCount' | 'pruneJobs'
>;

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
export function createJobTable({ db }: StoreContext): JobMethods {
  const jobRow = (jobId: string) =>
    db.selectFrom('relay_jobs').selectAll().where('job_id', '=', jobId).executeTakeFirst();
  // Both run once per job, on the path between the engine and the agent: compiled once.
  const insert = precompiled<NewJob>(() =>
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
    }),
  );
  const resolve = precompiled<{
    jobId: string;
    agentId: string;
    status: string;
    outcome: string;
    at: string;
  }>(() =>
    db
      .updateTable('relay_jobs')
      .set({ state: 'resolved', status: slot('status'), outcome: slot('outcome'), resolved_at: slot('at') })
      .where('job_id', '=', slot<string>('jobId'))
      .where('agent_id', '=', slot<string>('agentId'))
      .where('state', '!=', 'resolved'),
  );
  return {
    async insertJob(job) {
      await insert(db, job);
    },
    async recordResult(jobId, agentId, status, outcome, at) {
      if ((await resolve(db, { jobId, agentId, status, outcome, at })) === 1) return 'recorded';
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
