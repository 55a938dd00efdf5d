import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CodedError } from '../../src/core/errors';
import { createLabFile, loadLabFile, saveLabFile } from '../../src/lab/lab-file';
import { freshState } from './support';

const FIXTURES = join(__dirname, 'fixtures');

function thrown(fn: () => unknown): CodedError {
  try {
    fn();
  } catch (error) {
    if (error instanceof CodedError) return error;
    throw error;
  }
  throw new Error('expected a CodedError');
}

describe('the lab file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hybridops-lab-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reports a missing file as LAB_FILE_MISSING naming the path', () => {
    const path = join(dir, 'nope.json');
    const error = thrown(() => loadLabFile(path));
    expect(error.code).toBe('LAB_FILE_MISSING');
    expect(error.message).toContain(path);
  });

  it('reports truncated JSON as LAB_FILE_CORRUPT', () => {
    const path = join(FIXTURES, 'corrupt-truncated-json.txt');
    const error = thrown(() => loadLabFile(path));
    expect(error.code).toBe('LAB_FILE_CORRUPT');
    expect(error.message).toMatch(/corrupt-truncated-json\.txt is not valid JSON/);
  });

  it('reports a schema violation as LAB_FILE_CORRUPT with the first offending path', () => {
    const path = join(FIXTURES, 'corrupt-wrong-schema.json');
    const error = thrown(() => loadLabFile(path));
    expect(error.code).toBe('LAB_FILE_CORRUPT');
    expect(error.message).toContain('org.domainControllers');
    expect(error.message.split('\n')).toHaveLength(1);
  });

  it('round-trips a saved state exactly', async () => {
    const state = await freshState();
    const path = join(dir, 'lab.json');
    saveLabFile(path, state);
    expect(loadLabFile(path)).toEqual(state);
  });

  it('replaces the file atomically and leaves no temp file behind', async () => {
    const state = await freshState();
    const path = join(dir, 'lab.json');
    writeFileSync(path, 'old content');
    saveLabFile(path, state);
    expect(readdirSync(dir)).toEqual(['lab.json']);
    expect(JSON.parse(readFileSync(path, 'utf8')).org.domain).toBe('contoso.com');
  });

  it('leaves the old file untouched when the write fails', async () => {
    const state = await freshState();
    const missingDir = join(dir, 'missing', 'lab.json');
    const error = thrown(() => saveLabFile(missingDir, state));
    expect(error.code).toBe('LAB_FILE_UNWRITABLE');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses to create over an existing file unless told to overwrite', async () => {
    const state = await freshState();
    const path = join(dir, 'lab.json');
    writeFileSync(path, 'keep me');
    const error = thrown(() => createLabFile(path, state, { overwrite: false }));
    expect(error.code).toBe('LAB_FILE_EXISTS');
    expect(readFileSync(path, 'utf8')).toBe('keep me');
    expect(readdirSync(dir)).toEqual(['lab.json']);

    createLabFile(path, state, { overwrite: true });
    expect(loadLabFile(path)).toEqual(state);
  });

  it('creates a new file when none exists', async () => {
    const state = await freshState();
    const path = join(dir, 'new-lab.json');
    createLabFile(path, state, { overwrite: false });
    expect(loadLabFile(path)).toEqual(state);
    expect(readdirSync(dir)).toEqual(['new-lab.json']);
  });

  it('accepts a file written before plain directory users were recorded', async () => {
    const state = await freshState();
    const { users: _users, ...orgWithoutUsers } = state.org;
    const path = join(dir, 'old.json');
    writeFileSync(path, JSON.stringify({ ...state, org: orgWithoutUsers }));
    expect(loadLabFile(path).org.users).toEqual([]);
  });
});
