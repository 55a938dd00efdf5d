/**
 * The running lab owns its file: a lock file beside it (`org.json.lock`) names the lab's process id. Other
 * processes (`lab exec`, the CLI's plan and apply on `--lab`) refuse a file whose lock names a live process, so
 * nothing writes the org behind the running lab's back. A lock whose process is gone is taken over.
 */
import { closeSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { CodedError, errorMessage } from '../core/errors';
import { pidInFile, processRunning } from './process-ids';

export interface LabLock {
  readonly path: string;
  /** Removes the lock if it is still this process's. Safe to call more than once. */
  release(): void;
}

/** Where the lock of `file` lives. */
export const lockPathOf = (file: string) => `${file}.lock`;

function lockedError(file: string, pid: number): CodedError {
  return new CodedError(
    'LAB_FILE_LOCKED',
    `Lab file ${file} belongs to the running lab (process ${pid}); use its Playground, or stop it (Ctrl+C) first.`,
  );
}

/** Refuses (LAB_FILE_LOCKED) when a live process other than this one holds the lab file's lock. */
export function refuseLockedLabFile(file: string): void {
  const pid = pidInFile(lockPathOf(file));
  if (pid !== null && pid !== process.pid && processRunning(pid)) throw lockedError(file, pid);
}

/** Takes the lab file's lock for this process (taking over a dead process's), released on exit. */
export function lockLabFile(file: string): LabLock {
  const path = lockPathOf(file);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, file }));
      closeSync(fd);
      const release = () => {
        if (pidInFile(path) === process.pid) unlinkSync(path);
      };
      process.once('exit', release);
      return { path, release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new CodedError('LAB_FILE_UNWRITABLE', `Lock ${path} can't be written: ${errorMessage(error)}`);
      const pid = pidInFile(path);
      if (pid !== null && pid !== process.pid && processRunning(pid)) throw lockedError(file, pid);
      // A stale lock (its process is gone): take it over.
      unlinkSync(path);
    }
  }
  throw lockedError(file, pidInFile(path) ?? 0);
}
