/**
 * A lab killed outright (SIGKILL, the OOM killer) cannot stop its Agents Playground, which runs in a process group
 * of its own and keeps the lab's Playground port. The next `npm run lab` stops it and starts on that port again.
 */
import fs from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { processRunning } from '../../src/lab/process-ids';
import { stopLeftoverPlayground } from '../../src/playground/launch';
import { type LabProcess, startLabProcess, stopLabProcesses, until } from '../support/lab-process';

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('a Playground left running by a killed lab', () => {
  let dir: string;
  const labs: LabProcess[] = [];
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hybridops-leftover-'));
  });
  afterEach(async () => {
    await stopLabProcesses(labs.splice(0), dir);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A lab whose Playground listens on `port`, and a promise of its start (its welcome, or its exit). */
  function startLab(port: number) {
    const lab = startLabProcess(dir, { HYBRIDOPS_PLAYGROUND_PORT: String(port), LOG_LEVEL: 'warn' });
    labs.push(lab);
    const url = `Teams client (Agents Playground): http://127.0.0.1:${port}`;
    const started = until(
      () => lab.output().includes(url) || lab.child.exitCode !== null,
      120_000,
      'the lab starting',
    ).then(() => expect(lab.output()).toContain(url));
    return { lab, started };
  }

  const playgroundPid = () =>
    JSON.parse(fs.readFileSync(path.join(dir, 'playground.pid'), 'utf8')).pid as number;

  it('is stopped by the next lab, which starts on the same port', async () => {
    const port = await freePort();
    const first = startLab(port);
    await first.started;
    const leftover = playgroundPid();
    await first.lab.stop('SIGKILL');
    // The Playground outlived its lab, and still holds the port.
    expect(processRunning(leftover)).toBe(true);
    expect((await fetch(`http://127.0.0.1:${port}/_debug/ping`)).ok).toBe(true);

    const second = startLab(port);
    await second.started;
    expect(second.lab.output()).toContain(
      'stopped the Agents Playground a lab that was killed had left running',
    );
    expect(processRunning(leftover)).toBe(false);
    const started = playgroundPid();
    expect(started).not.toBe(leftover);

    // Stopped as usual, the lab stops its Playground and removes the file.
    await second.lab.stop('SIGTERM');
    expect(fs.existsSync(path.join(dir, 'playground.pid'))).toBe(false);
    expect(processRunning(started)).toBe(false);
  }, 300_000);

  it('leaves alone a process that is not a Playground, whatever the file names', async () => {
    const pidFile = path.join(dir, 'playground.pid');
    fs.writeFileSync(pidFile, JSON.stringify({ pid: process.pid }));
    await expect(stopLeftoverPlayground(pidFile)).resolves.toBeNull();
    expect(fs.existsSync(pidFile)).toBe(false);
  });
});
