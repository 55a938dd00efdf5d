/**
 * SIGKILL at every point of an apply: right after each durable write of the run (the run created, a command
 * journaled and audited as sent, its answer journaled) and right after the org ran a command but before its
 * answer was journaled, for every command of a runbook with both Exchange and Graph changes. After each kill the
 * next apply resumes: every change the org shows is in history, none ran twice, and the org ends configured.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { CRASH_AT } from '../../src/config/crash-hook';
import type { EmsCommand } from '../../src/core/ems';
import { renderCommand } from '../../src/exchange/render';
import { createLabState } from '../../src/lab/init';
import { createLabFile, loadLabFile } from '../../src/lab/lab-file';
import { openStore } from '../../src/store/open-store';
import type { AuditEntry } from '../../src/store/types';
import { DC, DOMAIN, fixedClock, repeatedMutations, tempDir } from '../support/lab-org';
import { cli } from '../support/run-cli';

jest.setTimeout(300_000);

const BIN = path.join(__dirname, '..', '..', 'bin', 'hybridops.js');
const clock = fixedClock();
// One org, made once (its certificates are slow to generate), copied for every case.
const fresh = createLabState({ now: clock.now(), domain: DOMAIN, dedicatedApp: true });
const RUNBOOK = 'sfb-legacy';
/** sfb-legacy on a fresh org: 6 Exchange changes, the certificate export, 2 Graph changes. */
const OPERATIONS = 9;
const CASES: string[] = [
  'run.created:1',
  ...['command.sent', 'command.answered', 'command.finished'].flatMap((label) =>
    Array.from({ length: OPERATIONS }, (_, index) => `${label}:${index + 1}`),
  ),
];

/** Runs `apply` in its own process, killed with SIGKILL at `crashAt`; resolves with the signal that ended it. */
function applyKilledAt(args: string[], env: NodeJS.ProcessEnv, crashAt: string): Promise<string | null> {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, ...env, [CRASH_AT]: crashAt },
    stdio: 'ignore',
  });
  return new Promise((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
}

async function history(db: string): Promise<AuditEntry[]> {
  const store = await openStore(db);
  try {
    return await store.runs.listAudit(5000);
  } finally {
    await store.close();
  }
}

/** Applies with a kill at `crashAt`, resumes, and checks nothing that changed the org is missing from history. */
async function killAndResume(crashAt: string): Promise<void> {
  const { dir, cleanup } = tempDir('hybridops-crash-');
  try {
    const lab = path.join(dir, 'lab.json');
    createLabFile(lab, structuredClone(await fresh), { overwrite: true });
    const db = path.join(dir, 'hybridops.db');
    const env = { HYBRIDOPS_DB: db, HYBRIDOPS_ACTOR: 'alice' };
    const args = ['apply', '--lab', lab, '--runbook', RUNBOOK, '--domain', DOMAIN, '--dc', DC, '--yes'];
    expect(await applyKilledAt(args, env, crashAt)).toBe('SIGKILL');
    const resumed = await cli(args, env, clock);
    expect({ crashAt, code: resumed.code, stdout: resumed.stdout }).toMatchObject({ code: 0 });

    const state = loadLabFile(lab);
    const entries = await history(db);
    const sent = entries.filter((entry) => entry.action === 'command.sent');
    const sentTexts = new Set(sent.map((entry) => entry.detail));
    const changes = state.org.commandLog.filter((entry) => entry.mutating && entry.ok);
    for (const change of changes)
      expect({
        crashAt,
        change: sentTexts.has(renderCommand({ cmdlet: change.cmdlet, params: change.params } as EmsCommand)),
      }).toEqual({
        crashAt,
        change: true,
      });
    expect(repeatedMutations(state.org.commandLog)).toEqual([]);
    const patches = state.tenant.requestLog.filter((entry) => entry.method === 'PATCH');
    expect(new Set(patches.map((entry) => entry.path)).size).toBe(patches.length);
    for (const patch of patches)
      expect([...sentTexts].some((text) => text.startsWith(`PATCH ${patch.path} `))).toBe(true);
    // Every "sent" entry is completed by a later one: succeeded, found applied, or sent once more.
    const completed = new Set(entries.map((entry) => entry.completes));
    expect(sent.filter((entry) => !completed.has(entry.seq))).toEqual([]);
    expect((await cli(['verify', '--lab', lab, '--runbook', RUNBOOK], env, clock)).code).toBe(0);
  } finally {
    cleanup();
  }
}

describe(`apply of ${RUNBOOK} killed with SIGKILL`, () => {
  it.each(CASES)('at %s: resumes, history holds every change, none ran twice', async (crashAt) => {
    await killAndResume(crashAt);
  });
});
