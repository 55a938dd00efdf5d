// Bundles the relay agent (src/relay/agent.ts) with esbuild into one CommonJS file, hybridops-agent.js,
// and puts beside it better-sqlite3's native addon (the agent's journal) and the installer. That folder
// is everything an Exchange server needs besides Node.js. See infra/README.md for why not a single
// executable application.
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const ROOT = path.join(__dirname, '..');
const ADDON = 'better_sqlite3.node';

/**
 * better-sqlite3 finds its addon with the `bindings` package, which searches node_modules. In the bundle
 * it is the file beside hybridops-agent.js; an addon built for another platform or Node version is refused
 * with a sentence rather than a loader error.
 */
function bindingsShim() {
  const built = {
    platform: process.platform,
    arch: process.arch,
    node: process.versions.node,
    modules: process.versions.modules,
  };
  return `const path = require('node:path');
const BUILT = ${JSON.stringify(built)};
module.exports = function bindings(name) {
  if (process.platform !== BUILT.platform || process.arch !== BUILT.arch || process.versions.modules !== BUILT.modules) {
    throw new Error(
      name + ' beside this agent was built for ' + BUILT.platform + '-' + BUILT.arch + ' and Node ' + BUILT.node +
        ', but this is ' + process.platform + '-' + process.arch + ' and Node ' + process.versions.node +
        ': run npm run build on a machine like this one (see infra/README.md), or install Node ' + BUILT.node.split('.')[0] + '.',
    );
  }
  return require(path.join(__dirname, name));
};
`;
}

/** The simulated org is not part of the bundle: `--executor lab` and `--exchange lab` say where to find it instead. */
const LAB_STUB = `const { CodedError } = require('../core/errors');
const noLab = () => {
  throw new CodedError(
    'BAD_AGENT_OPTIONS',
    'The bundled agent has no lab executor: run the agent from a checkout of hybridops (npm run agent -- --executor lab --lab FILE, or --executor powershell --exchange lab --lab FILE) to use the simulated org.',
  );
};
exports.labFileExecutor = noLab;
exports.labFileModuleExecutor = noLab;
exports.labEndpointModuleExecutor = noLab;
`;

const agentPlugin = {
  name: 'hybridops-agent',
  setup(build) {
    build.onResolve({ filter: /^bindings$/ }, () => ({ path: 'bindings', namespace: 'agent-shim' }));
    build.onLoad({ filter: /^bindings$/, namespace: 'agent-shim' }, () => ({
      contents: bindingsShim(),
      loader: 'js',
    }));
    build.onResolve({ filter: /\/lab\/(relay|module)-executor$/ }, () => ({
      path: 'lab-stub',
      namespace: 'agent-shim',
    }));
    build.onLoad({ filter: /^lab-stub$/, namespace: 'agent-shim' }, () => ({
      contents: LAB_STUB,
      loader: 'ts',
      resolveDir: path.join(ROOT, 'src', 'relay'),
    }));
  },
};

/** Builds `outDir` (e.g. dist/agent); resolves with the bundle's path and size and the addon's path. */
async function bundleAgent(outDir) {
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, 'hybridops-agent.js');
  const result = await esbuild.build({
    entryPoints: [path.join(ROOT, 'src', 'relay', 'agent.ts')],
    outfile: file,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // Readable stack traces in the agent's log are worth more than the bytes minifying would save.
    minify: false,
    keepNames: true,
    legalComments: 'inline',
    metafile: true,
    logLevel: 'warning',
    plugins: [agentPlugin],
    banner: {
      js: '#!/usr/bin/env node\n// hybridops relay agent (built by npm run build from src/relay/agent.ts)',
    },
  });
  // What went in, for the tests and for whoever audits the bundle; kept outside the folder that ships.
  fs.writeFileSync(
    path.join(path.dirname(outDir), 'agent-bundle.meta.json'),
    JSON.stringify(result.metafile),
  );
  const addonSource = path.join(
    path.dirname(require.resolve('better-sqlite3/package.json')),
    'build',
    'Release',
    ADDON,
  );
  const addon = path.join(outDir, ADDON);
  fs.copyFileSync(addonSource, addon);
  fs.copyFileSync(
    path.join(ROOT, 'infra', 'agent', 'Install-HybridOpsAgent.ps1'),
    path.join(outDir, 'Install-HybridOpsAgent.ps1'),
  );
  return { file, bytes: fs.statSync(file).size, addon };
}

module.exports = { bundleAgent };
