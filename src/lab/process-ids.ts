/** Process ids the lab writes down (its file lock, the Playground it started) and whether they still run. */
import { readFileSync } from 'node:fs';

/** Whether process `pid` exists (signal 0 checks without sending; EPERM means it exists under another user). */
export function processRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The process id a JSON file's `pid` names, or null when there is none (no file, or one cut short by a crash). */
export function pidInFile(file: string): number | null {
  try {
    const pid = Number((JSON.parse(readFileSync(file, 'utf8')) as { pid?: unknown }).pid);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}
