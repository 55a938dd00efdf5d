/**
 * `--executor powershell`: the four seed runbooks plan, apply and verify through pwsh → HybridOps.Lab →
 * the simulated org, with the same plan and the same command log as the in-process executor.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadLabFile } from '../../src/lab/lab-file';
import { DC, DOMAIN, fixedClock, repeatedMutations, tempDir, writeLabOrg } from '../support/lab-org';
import { describeWithShell } from '../support/pwsh';
import { cli } from '../support/run-cli';

const SEED_RUNBOOKS = ['teams', 'sfb-online', 'sfb-online-2019', 'sfb-legacy'] as const;
const clock = fixedClock();

interface Trail {
  readonly plan: unknown;
  readonly codes: number[];
  readonly log: ReturnType<typeof loadLabFile>['org']['commandLog'];
  readonly history: { action: string; detail: string }[];
}

/** plan, apply, verify and history on one lab file; `extra` picks the executor. */
async function runThrough(dir: string, lab: string, runbook: string, extra: string[]): Promise<Trail> {
  const env = { HYBRIDOPS_DB: path.join(dir, `${extra.join('') || 'lab'}.db`), HYBRIDOPS_ACTOR: 'alice' };
  const target = ['--lab', lab, '--runbook', runbook, '--domain', DOMAIN, '--dc', DC, ...extra];
  const planned = await cli(['plan', ...target, '--json'], env, clock);
  const applied = await cli(['apply', ...target, '--yes', '--json'], env, clock);
  const verified = await cli(['verify', ...target, '--json'], env, clock);
  const history = await cli(['history', '--json'], env, clock);
  for (const run of [planned, applied, verified]) {
    if (run.code !== 0) throw new Error(`${runbook} ${extra.join(' ')}: ${run.stderr}\n${run.stdout}`);
  }
  return {
    plan: JSON.parse(planned.stdout),
    codes: [planned.code, applied.code, verified.code],
    log: loadLabFile(lab).org.commandLog,
    history: JSON.parse(history.stdout),
  };
}

describeWithShell('the CLI with --executor powershell', () => {
  jest.setTimeout(240_000);
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
  });
  afterEach(() => cleanup());

  it.each(SEED_RUNBOOKS)(
    'plans, applies and verifies %s through pwsh with the command log of the in-process executor',
    async (runbook) => {
      const seed = await writeLabOrg(dir, clock);
      const twin = path.join(dir, 'twin.json');
      fs.copyFileSync(seed, twin);

      const inProcess = await runThrough(dir, seed, runbook, []);
      const throughShell = await runThrough(dir, twin, runbook, ['--executor', 'powershell']);

      expect(throughShell.codes).toEqual([0, 0, 0]);
      expect(throughShell.plan).toEqual(inProcess.plan);
      // Changes in the same order; reads the same, in whatever order concurrent checks sent them.
      const changes = (trail: Trail) => trail.log.filter((entry) => entry.mutating);
      expect(changes(throughShell)).toEqual(changes(inProcess));
      expect(changes(throughShell).length).toBeGreaterThan(0);
      const sorted = (trail: Trail) => trail.log.map((entry) => JSON.stringify(entry)).sort();
      expect(sorted(throughShell)).toEqual(sorted(inProcess));
      expect(repeatedMutations(throughShell.log)).toEqual([]);
      // The journal and audit log record each change as run, as they do in-process.
      const audited = (trail: Trail) => trail.history.filter((entry) => entry.action === 'command').length;
      expect(audited(throughShell)).toBe(audited(inProcess));
    },
  );
});
