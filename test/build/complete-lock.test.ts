/** .ci/complete-lock.js, the package's postinstall: it completes the lock only when npm has just written it. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from '../support/lab-org';
import { ROOT } from './support';

/** A lock that names an other-platform build it does not contain, as npm install leaves it here. */
const INCOMPLETE = {
  name: 'hybridops',
  lockfileVersion: 3,
  packages: {
    '': { name: 'hybridops', devDependencies: { '@biomejs/biome': '^2.6.8' } },
    'node_modules/@biomejs/biome': {
      version: '2.6.8',
      dev: true,
      optionalDependencies: { '@biomejs/cli-darwin-x64': '2.6.8' },
    },
  },
};

function runAfter(env: Record<string, string>): Record<string, unknown> {
  const { dir, cleanup } = tempDir();
  try {
    const lock = path.join(dir, 'package-lock.json');
    fs.writeFileSync(lock, JSON.stringify(INCOMPLETE));
    execFileSync(process.execPath, [path.join(ROOT, '.ci', 'complete-lock.js'), lock], {
      env: { PATH: process.env.PATH, ...env },
      stdio: 'pipe',
    });
    return JSON.parse(fs.readFileSync(lock, 'utf8')).packages;
  } finally {
    cleanup();
  }
}

const ADDED = 'node_modules/@biomejs/cli-darwin-x64';

describe('completing the lock after install', () => {
  it('adds the missing other-platform entries after npm install, and when run by hand', () => {
    const installed = runAfter({ npm_lifecycle_event: 'postinstall', npm_command: 'install' });
    expect(installed[ADDED]).toEqual({
      version: '2.6.8',
      os: ['darwin'],
      cpu: ['x64'],
      optional: true,
      dev: true,
    });
    expect(runAfter({})[ADDED]).toBeDefined();
  });

  it('leaves the lock alone in npm ci and in a production install', () => {
    expect(runAfter({ npm_lifecycle_event: 'postinstall', npm_command: 'ci' })[ADDED]).toBeUndefined();
    const productions: Record<string, string>[] = [{ npm_config_omit: 'dev' }, { NODE_ENV: 'production' }];
    for (const production of productions) {
      const packages = runAfter({
        npm_lifecycle_event: 'postinstall',
        npm_command: 'install',
        ...production,
      });
      expect(packages[ADDED]).toBeUndefined();
    }
  });
});
