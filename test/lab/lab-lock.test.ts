/** The running lab owns its file: a real `npm run lab` process holds the lock; the CLI refuses the file meanwhile. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { systemClock } from '../../src/core/ports';
import { lockLabFile, lockPathOf } from '../../src/lab/lab-lock';
import { type LabProcess, startLabProcess, stopLabProcesses, until } from '../support/lab-process';
import { cli } from '../support/run-cli';

describe('the lab file lock', () => {
  let dir: string;
  const labs: LabProcess[] = [];
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hybridops-lock-'));
  });
  afterEach(async () => {
    await stopLabProcesses(labs.splice(0), dir);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function startLab(): LabProcess {
    const lab = startLabProcess(dir);
    labs.push(lab);
    return lab;
  }

  it('refuses lab exec and plan on a running lab’s file with one sentence, and frees it when the lab stops', async () => {
    const lab = startLab();
    const file = path.join(dir, 'org.json');
    const lock = lockPathOf(file);
    await until(() => fs.existsSync(lock), 60_000, 'the lab taking its lock');
    expect(JSON.parse(fs.readFileSync(lock, 'utf8')).pid).toBe(lab.child.pid);

    const exec = await cli(
      ['lab', 'exec', '--lab', file, 'Get-PartnerApplication'],
      process.env,
      systemClock,
    );
    expect(exec.code).toBe(2);
    expect(exec.stderr.trim()).toBe(
      `hybridops: Lab file ${file} belongs to the running lab (process ${lab.child.pid}); use its Playground, or stop it (Ctrl+C) first.`,
    );
    const plan = await cli(
      ['plan', '--lab', file, '--runbook', 'teams', '--domain', 'contoso.com', '--dc', 'dc01.contoso.com'],
      process.env,
      systemClock,
    );
    expect(plan.code).toBe(2);
    expect(plan.stderr).toContain('belongs to the running lab');

    await until(() => lab.output().includes('127.0.0.1'), 120_000, 'the lab starting');
    await lab.stop('SIGTERM');
    expect(fs.existsSync(lock)).toBe(false);
    const after = await cli(
      ['lab', 'exec', '--lab', file, 'Get-PartnerApplication'],
      process.env,
      systemClock,
    );
    expect(after.code).toBe(0);
  }, 180_000);

  it('takes over the lock of a lab that was killed', async () => {
    const lab = startLab();
    const file = path.join(dir, 'org.json');
    await until(() => fs.existsSync(lockPathOf(file)), 60_000, 'the lab taking its lock');
    await lab.stop('SIGKILL');
    expect(fs.existsSync(lockPathOf(file))).toBe(true);
    const exec = await cli(
      ['lab', 'exec', '--lab', file, 'Get-PartnerApplication'],
      process.env,
      systemClock,
    );
    expect(exec.code).toBe(0);
    const taken = lockLabFile(file);
    expect(JSON.parse(fs.readFileSync(taken.path, 'utf8')).pid).toBe(process.pid);
    taken.release();
    expect(fs.existsSync(taken.path)).toBe(false);
  }, 120_000);
});
