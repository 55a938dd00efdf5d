#!/usr/bin/env node
// The hybridops command. In a checkout with its dev dependencies it runs the TypeScript source through tsx,
// so it works right after `npm ci` with no build step; in a production install (`npm run build`, then
// `npm ci --omit=dev`: no tsx) it runs the compiled dist/cli.js.
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');

function tsxHooks() {
  if (!fs.existsSync(path.join(root, 'src', 'cli.ts'))) return null;
  try {
    return require.resolve('tsx/cjs', { paths: [root] });
  } catch {
    return null; // a production install: tsx is a dev dependency
  }
}

const hooks = tsxHooks();
if (hooks) {
  require(hooks);
  require('../src/cli.ts');
} else if (fs.existsSync(path.join(root, 'dist', 'cli.js'))) {
  require('../dist/cli.js');
} else {
  process.stderr.write(
    'hybridops: dist/cli.js is missing and tsx is not installed: run npm run build first.\n',
  );
  process.exit(1);
}
