#!/usr/bin/env node
// `npm run build`: compiles src/ to dist/ for `npm start` and `bin/hybridops.js`, and bundles the relay
// agent into dist/agent/ for the Exchange server.
//   node scripts/build.js [--out DIR] [--agent-only]
// --out builds somewhere else (the tests build into a temporary folder); --agent-only skips tsc.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');
const { bundleAgent } = require('./bundle-agent');

const ROOT = path.join(__dirname, '..');

/** Files the compiled code reads beside itself: the lab's PowerShell module (`LAB_MODULE_PATH`). */
const ASSETS = [{ from: 'src/lab/powershell', to: 'lab/powershell', match: /\.ps[dm]?1$/ }];

function compile(out) {
  const tsc = require.resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.build.json'), '--outDir', out], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  for (const asset of ASSETS) {
    const target = path.join(out, asset.to);
    fs.mkdirSync(target, { recursive: true });
    for (const name of fs.readdirSync(path.join(ROOT, asset.from)).filter((n) => asset.match.test(n))) {
      fs.copyFileSync(path.join(ROOT, asset.from, name), path.join(target, name));
    }
  }
}

async function main() {
  const { values } = parseArgs({
    options: { out: { type: 'string', default: 'dist' }, 'agent-only': { type: 'boolean', default: false } },
  });
  const out = path.resolve(ROOT, values.out);
  if (!values['agent-only']) {
    fs.rmSync(out, { recursive: true, force: true });
    compile(out);
  }
  const agent = await bundleAgent(path.join(out, 'agent'));
  process.stdout.write(
    `${values['agent-only'] ? '' : `compiled src/ to ${path.relative(ROOT, out) || out}; `}bundled the relay agent: ${path.relative(ROOT, agent.file)} (${Math.round(agent.bytes / 1024)} KiB) with ${path.basename(agent.addon)}\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`build: ${error.stack ?? error}\n`);
  process.exit(1);
});
