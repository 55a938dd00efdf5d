/** Forks a TypeScript file of this checkout as a child process, with tsx's hooks and an IPC channel. */
import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = path.resolve(__dirname, '..');
/** Node's options that run a TypeScript file of this checkout through tsx. */
export const TSX_HOOKS = [
  '--require',
  path.join(ROOT, 'node_modules/tsx/dist/preflight.cjs'),
  '--import',
  pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href,
];

/** Forks `file` with `args`; its stdout and stderr are this process's. */
export function forkTs(file: string, args: readonly string[]): ChildProcess {
  return fork(file, [...args], { execArgv: TSX_HOOKS, stdio: 'inherit' });
}

/** Resolves with the child's first message that `accept` takes; rejects if it exits first. */
export function nextMessage<T>(child: ChildProcess, accept: (message: T) => boolean): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onMessage = (message: T) => {
      if (!accept(message)) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message);
    };
    const onExit = (code: number | null) => {
      child.off('message', onMessage);
      reject(new Error(`the bench's child process exited with ${code}`));
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** Stops a child and waits for it to exit. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await exited;
}

/** Runs a bench file (with `args`) in a process of its own and resolves with the figures it sends back over IPC. */
export async function figuresOf<T>(file: string, args: readonly string[] = []): Promise<T[]> {
  const child = forkTs(file, args);
  const message = await nextMessage<{ type: string; figures: T[] }>(child, (m) => m.type === 'figures');
  await stopChild(child);
  return message.figures;
}
