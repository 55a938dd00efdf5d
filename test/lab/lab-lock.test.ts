/** The running lab owns its file: a real `npm run lab` process holds the lock; the CLI refuses the file meanwhile. */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { systemClock } from '../../src/core/ports';
import { lockLabFile, lockPathOf } from '../../src/lab/lab-lock';
import { cli } from '../support/run-cli';

const ROOT = path.join(__dirname, '..', '..');

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen in time`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the lab file lock', () => {
  let dir: string;
  let lab: ChildProcess | null = null;
  let output = '';
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hybridops-lock-'));
    output = '';
  });
  afterEach(async () => {
    if (lab && lab.exitCode === null && lab.signalCode === null) {
      const exited = new Promise((resolve) => lab?.once('exit', resolve));
      lab.kill('SIGKILL');
      await exited;
    }
    lab = null;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function startLab(): ChildProcess {
    // tsx as node's loader, so the lab is this child process itself (its pid is the one the lock names).
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/lab.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        HYBRIDOPS_LAB_DIR: dir,
        PORT: '0',
        HYBRIDOPS_PLAYGROUND_PORT: '0',
        LOG_LEVEL: 'silent',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk) => {
      output += String(chunk);
    });
    child.stderr?.on('data', (chunk) => {
      output += String(chunk);
    });
    return child;
  }

  it('refuses lab exec and plan on a running lab’s file with one sentence, and frees it when the lab stops', async () => {
    lab = startLab();
    const file = path.join(dir, 'org.json');
    const lock = lockPathOf(file);
    await until(() => fs.existsSync(lock), 60_000, 'the lab taking its lock');
    expect(JSON.parse(fs.readFileSync(lock, 'utf8')).pid).toBe(lab.pid);

    const exec = await cli(
      ['lab', 'exec', '--lab', file, 'Get-PartnerApplication'],
      process.env,
      systemClock,
    );
    expect(exec.code).toBe(2);
    expect(exec.stderr.trim()).toBe(
      `hybridops: Lab file ${file} belongs to the running lab (process ${lab.pid}); use its Playground, or stop it (Ctrl+C) first.`,
    );
    const plan = await cli(
      ['plan', '--lab', file, '--runbook', 'teams', '--domain', 'contoso.com', '--dc', 'dc01.contoso.com'],
      process.env,
      systemClock,
    );
    expect(plan.code).toBe(2);
    expect(plan.stderr).toContain('belongs to the running lab');

    await until(() => output.includes('127.0.0.1'), 120_000, 'the lab starting');
    const exited = new Promise((resolve) => lab?.once('exit', resolve));
    lab.kill('SIGTERM');
    await exited;
    expect(fs.existsSync(lock)).toBe(false);
    const after = await cli(
      ['lab', 'exec', '--lab', file, 'Get-PartnerApplication'],
      process.env,
      systemClock,
    );
    expect(after.code).toBe(0);
  }, 180_000);

  it('takes over the lock of a lab that was killed', async () => {
    lab = startLab();
    const file = path.join(dir, 'org.json');
    await until(() => fs.existsSync(lockPathOf(file)), 60_000, 'the lab taking its lock');
    const exited = new Promise((resolve) => lab?.once('exit', resolve));
    lab.kill('SIGKILL');
    await exited;
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
