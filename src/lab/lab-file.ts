/** Reading and writing the lab state file: validated on load, written atomically and durably. */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  linkSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CodedError, errorMessage } from '../core/errors';
import { processRunning } from './process-ids';
import { type LabState, labStateSchema } from './state';

/**
 * Loads and validates a lab file; missing or invalid files raise LAB_FILE_MISSING or LAB_FILE_CORRUPT. Temp
 * files that writers killed mid-write left beside it are removed first.
 */
export function loadLabFile(path: string): LabState {
  removeStaleTemps(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') {
      throw new CodedError('LAB_FILE_MISSING', `Lab file ${path} does not exist; create it with "lab init".`);
    }
    throw new CodedError('LAB_FILE_CORRUPT', `Lab file ${path} can't be read: ${errorMessage(error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CodedError('LAB_FILE_CORRUPT', `Lab file ${path} is not valid JSON: ${errorMessage(error)}`);
  }
  const parsed = labStateSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : '(root)';
    throw new CodedError(
      'LAB_FILE_CORRUPT',
      `Lab file ${path} is not a valid lab state: ${where}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}

/** Replaces the lab file atomically: a crash at any point leaves either the old or the new content. */
export function saveLabFile(path: string, state: LabState): void {
  const temp = writeTemp(path, state);
  try {
    renameSync(temp, path);
  } catch (error) {
    removeQuietly(temp);
    throw new CodedError('LAB_FILE_UNWRITABLE', `Lab file ${path} can't be written: ${errorMessage(error)}`);
  }
  syncDirectory(dirname(path));
}

/** Creates a lab file; refuses to replace an existing one unless `overwrite` is set. */
export function createLabFile(path: string, state: LabState, options: { overwrite: boolean }): void {
  if (options.overwrite) {
    saveLabFile(path, state);
    return;
  }
  const temp = writeTemp(path, state);
  try {
    // link() fails if the target exists, so "create only if absent" holds even against a concurrent creator.
    linkSync(temp, path);
  } catch (error) {
    if (errnoCode(error) === 'EEXIST') {
      throw new CodedError('LAB_FILE_EXISTS', `Lab file ${path} already exists; use --force to replace it.`);
    }
    throw new CodedError('LAB_FILE_UNWRITABLE', `Lab file ${path} can't be written: ${errorMessage(error)}`);
  } finally {
    removeQuietly(temp);
  }
  syncDirectory(dirname(path));
}

/** The temp files beside `path` are `.<name>.<writer's pid>.<random>.tmp`. */
const tempPrefix = (path: string) => `.${basename(path)}.`;

/**
 * Removes the temp files beside `path` whose writer is gone: a process killed between writing its temp file and
 * renaming it leaves one behind. A live writer's temp file (another process, mid-write) is left alone.
 */
function removeStaleTemps(path: string): void {
  const prefix = tempPrefix(path);
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return; // No folder to read: loading reports the missing file.
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(name.slice(prefix.length).split('.')[0]);
    if (Number.isSafeInteger(pid) && pid > 0 && !processRunning(pid))
      removeQuietly(join(dirname(path), name));
  }
}

/** Writes the state to a fresh temp file beside the target (same filesystem, so rename is atomic) and fsyncs it. */
function writeTemp(path: string, state: LabState): string {
  const temp = join(dirname(path), `${tempPrefix(path)}${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const body = Buffer.from(`${JSON.stringify(state, null, 2)}\n`, 'utf8');
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', 0o600);
    // writeSync may write less than asked; loop until the whole body is on disk.
    for (let offset = 0; offset < body.length; ) offset += writeSync(fd, body, offset);
    fsyncSync(fd);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
    removeQuietly(temp);
    throw new CodedError('LAB_FILE_UNWRITABLE', `Lab file ${path} can't be written: ${errorMessage(error)}`);
  }
  closeSync(fd);
  return temp;
}

/** Makes the rename itself durable; platforms that can't open directories (Windows) skip it. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Best effort: the data file is already fsynced.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}

function errnoCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}
