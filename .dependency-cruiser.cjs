/**
 * The import rules of docs/architecture.md, checked by `npm run deps` (part of `npm test`).
 *
 * Layers, top to bottom; an import may point down, or sideways where a rule below allows it, never up:
 *   entries   src/index.ts, src/lab.ts, src/cli.ts, src/app.ts, src/served-orgs.ts, src/playground/
 *   bot       src/bot/        (Teams; imported by the entries only)
 *   cli       src/cli/        (terminal; imported by src/cli.ts only)
 *   features  src/alerts/ → src/verify/ → src/engine/
 *   adapters  src/exchange/, src/graph/, src/relay/, src/lab/ (the simulated org: entries, cli, playground)
 *   runbooks  src/runbooks/   (data: core and exchange only)
 *   store     src/store/
 *   config    src/config/
 *   core      src/core/       (imports nothing of ours)
 */
const ENTRIES = '^src/(index|lab|cli|app|served-orgs)[.]ts$';
const PLAYGROUND = '^src/playground/';
const AGENT_ENTRY = '^src/relay/agent[.]ts$';

/** `from` may import nothing of ours but the folders in `allowed` (and itself). */
const onlyImports = (name, from, allowed, comment) => ({
  name,
  comment,
  severity: 'error',
  from: { path: from },
  to: { path: '^src/', pathNot: [from, ...allowed] },
});

/** Nothing but the modules in `importers` may import `to`. */
const onlyImportedBy = (name, to, importers, comment) => ({
  name,
  comment,
  severity: 'error',
  from: { path: '^src/', pathNot: [to, ...importers] },
  to: { path: to },
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A cycle makes two modules one: neither can change or be tested alone.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    onlyImportedBy(
      'entries-on-top',
      `${ENTRIES}|${PLAYGROUND}`,
      [ENTRIES, PLAYGROUND],
      'Entries and the lab wiring are the top: nothing imports them.',
    ),
    onlyImportedBy(
      'bot-from-entries',
      '^src/bot/',
      [ENTRIES, PLAYGROUND],
      'Teams stays in src/bot/, which only the composition root and the lab wiring import.',
    ),
    onlyImportedBy(
      'cli-from-its-entry',
      '^src/cli/',
      ['^src/cli[.]ts$'],
      'The terminal surface is imported by its entry only.',
    ),
    onlyImportedBy(
      'lab-from-entries',
      '^src/lab/',
      [ENTRIES, PLAYGROUND, '^src/cli/', AGENT_ENTRY],
      'The simulated org is loaded by the entries, the CLI and the lab wiring only (the agent: see agent-loads-lab-on-demand).',
    ),
    {
      name: 'agent-loads-lab-on-demand',
      comment:
        'The agent entry may load the lab executor only with a dynamic import, when --executor lab is chosen.',
      severity: 'error',
      from: { path: AGENT_ENTRY },
      to: { path: '^src/lab/', dependencyTypesNot: ['dynamic-import'] },
    },
    {
      name: 'relay-never-reaches-lab',
      comment:
        'No relay module reaches the simulated org, directly or through others: the agent runs next to a real Exchange.',
      severity: 'error',
      from: { path: '^src/relay/', pathNot: AGENT_ENTRY },
      to: { path: '^src/lab/', reachable: true },
    },
    {
      name: 'teams-stays-in-bot',
      comment: 'teams-ai, botbuilder and restify are used by src/bot/ and the composition root (src/app.ts, src/served-orgs.ts) only.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/bot/', '^src/(app|served-orgs)[.]ts$'] },
      to: { path: 'node_modules/(@microsoft/teams-ai|botbuilder[^/]*|restify)/' },
    },
    onlyImports(
      'features-below-surfaces',
      '^src/engine/',
      ['^src/(exchange|graph|runbooks|store|config|core)/'],
      'The engine knows nothing of verify, alerts or any surface.',
    ),
    onlyImports(
      'verify-below-alerts',
      '^src/verify/',
      ['^src/(engine|exchange|graph|runbooks|store|config|core)/'],
      'Verification knows nothing of the watch or any surface.',
    ),
    onlyImports(
      'alerts-below-surfaces',
      '^src/alerts/',
      ['^src/(verify|engine|exchange|graph|runbooks|store|config|core)/'],
      'The watch posts through its Notifier port; it knows nothing of Teams.',
    ),
    onlyImports(
      'exchange-alone',
      '^src/exchange/',
      ['^src/(core|config)/'],
      'The command model depends on the core only.',
    ),
    onlyImports(
      'graph-alone',
      '^src/graph/',
      ['^src/(core|config)/'],
      'The Graph adapter depends on the core only.',
    ),
    onlyImports(
      'relay-adapter',
      '^src/relay/',
      ['^src/(exchange|store|config|core)/', '^src/lab/'],
      'The relay carries Exchange commands; the lab is allowed here only for the agent entry, as the rules above say.',
    ),
    onlyImports(
      'lab-adapter',
      '^src/lab/',
      ['^src/(exchange|graph|relay|store|config|core)/'],
      'The simulated org implements the adapters’ interfaces and nothing above them.',
    ),
    onlyImports(
      'runbooks-are-data',
      '^src/runbooks/',
      ['^src/(exchange|core)/'],
      'Runbooks are data: core and Exchange command types only.',
    ),
    onlyImports(
      'store-below-features',
      '^src/store/',
      ['^src/(config|core)/'],
      'The store knows config and core only.',
    ),
    onlyImports('config-below-store', '^src/config/', ['^src/core/'], 'Configuration knows the core only.'),
    onlyImports('core-at-the-bottom', '^src/core/', [], 'The core imports nothing of ours.'),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^(src|node_modules)/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.json'],
    },
  },
};
