/**
 * A lab killed outright (SIGKILL, the OOM killer) cannot stop its Agents Playground, which runs in a process group
 * of its own and keeps the lab's Playground port. The next `npm run lab` stops it and starts on that port again.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { stopLeftoverPlayground } from '../../src/playground/launch';

const ROOT = path.join(__dirname, '..', '..');

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen in time`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('a Playground left running by a killed lab', () => {
  let dir: string;
  const labs: { child: ChildProcess; output: string }[] = [];
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hybridops-leftover-'));
  });
  afterEach(async () => {
    for (const { child } of labs.splice(0)) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    // Whatever Playground is still named here (a failed case) is stopped too.
    await stopLeftoverPlayground(path.join(dir, 'playground.pid'));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function startLab(playgroundPort: number) {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/lab.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        HYBRIDOPS_LAB_DIR: dir,
        PORT: '0',
        HYBRIDOPS_PLAYGROUND_PORT: String(playgroundPort),
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lab = { child, output: '' };
    child.stdout?.on('data', (chunk) => {
      lab.output += String(chunk);
    });
    child.stderr?.on('data', (chunk) => {
      lab.output += String(chunk);
    });
    labs.push(lab);
    return lab;
  }

  const playgroundPid = () =>
    JSON.parse(fs.readFileSync(path.join(dir, 'playground.pid'), 'utf8')).pid as number;

  it('is stopped by the next lab, which starts on the same port', async () => {
    const port = await freePort();
    const url = `Teams client (Agents Playground): http://127.0.0.1:${port}`;
    const first = startLab(port);
    await until(
      () => first.output.includes(url) || first.child.exitCode !== null,
      120_000,
      'the lab starting',
    );
    expect(first.output).toContain(url);
    const leftover = playgroundPid();
    const killed = new Promise((resolve) => first.child.once('exit', resolve));
    first.child.kill('SIGKILL');
    await killed;
    // The Playground outlived its lab, and still holds the port.
    expect(alive(leftover)).toBe(true);
    expect((await fetch(`http://127.0.0.1:${port}/_debug/ping`)).ok).toBe(true);

    const second = startLab(port);
    await until(
      () => second.output.includes(url) || second.child.exitCode !== null,
      120_000,
      'the lab restarting',
    );
    expect(second.output).toContain(url);
    expect(second.output).toContain('stopped the Agents Playground a lab that was killed had left running');
    expect(alive(leftover)).toBe(false);
    const started = playgroundPid();
    expect(started).not.toBe(leftover);

    // Stopped as usual, the lab stops its Playground and removes the file.
    const stopped = new Promise((resolve) => second.child.once('exit', resolve));
    second.child.kill('SIGTERM');
    await stopped;
    expect(fs.existsSync(path.join(dir, 'playground.pid'))).toBe(false);
    expect(alive(started)).toBe(false);
  }, 300_000);

  it('leaves alone a process that is not a Playground, whatever the file names', async () => {
    const pidFile = path.join(dir, 'playground.pid');
    fs.writeFileSync(pidFile, JSON.stringify({ pid: process.pid }));
    await expect(stopLeftoverPlayground(pidFile)).resolves.toBeNull();
    expect(fs.existsSync(pidFile)).toBe(false);
  });
});
