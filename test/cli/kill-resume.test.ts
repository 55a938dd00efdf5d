import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loadLabFile } from '../../src/lab/lab-file';
import { DC, DOMAIN, fixedClock, repeatedMutations, tempDir, writeLabOrg } from '../support/lab-org';
import { cli } from '../support/run-cli';

const BIN = path.join(__dirname, '..', '..', 'bin', 'hybridops.js');

function mutatingCount(file: string): number {
  try {
    return loadLabFile(file).org.commandLog.filter((entry) => entry.mutating).length;
  } catch {
    return 0; // the file is replaced atomically, but a read can still race the very first write
  }
}

async function waitFor(condition: () => boolean, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (child.exitCode !== null)
      throw new Error(`apply exited (${child.exitCode}) before it could be killed`);
    if (Date.now() > deadline) throw new Error('apply did not reach the point to kill it in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('apply killed with SIGKILL in the middle of a run', () => {
  it('resumes on the next apply and never repeats a mutating cmdlet', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const clock = fixedClock();
      // Slow cmdlets give the kill a wide window in the middle of the run.
      const lab = await writeLabOrg(dir, clock, { latencyMs: 60 });
      const env = { ...process.env, HYBRIDOPS_DB: path.join(dir, 'hybridops.db'), HYBRIDOPS_ACTOR: 'alice' };
      const args = ['apply', '--lab', lab, '--runbook', 'teams', '--domain', DOMAIN, '--dc', DC, '--yes'];

      const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      const exited = new Promise((resolve) => child.on('exit', resolve));
      await waitFor(() => mutatingCount(lab) >= 4, child, 20_000);
      child.kill('SIGKILL');
      await exited;

      const afterKill = mutatingCount(lab);
      expect(afterKill).toBeGreaterThanOrEqual(4);
      expect(afterKill).toBeLessThan(15); // the run was really cut short

      const resumed = await cli(args, env, clock);
      expect(resumed.code).toBe(0);
      expect(resumed.stderr).toMatch(/^Resuming run /);
      expect(resumed.stdout).toMatch(/resumed run/);

      const log = loadLabFile(lab).org.commandLog;
      expect(repeatedMutations(log)).toEqual([]);
      const verified = await cli(['verify', '--lab', lab, '--runbook', 'teams'], env, clock);
      expect(verified.code).toBe(0);
      expect(fs.existsSync(path.join(dir, 'hybridops.db'))).toBe(true);
    } finally {
      cleanup();
    }
  });
});
