/** The import rules (.dependency-cruiser.cjs) report a wrong direction, a cycle and the lab in the agent. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const DEPCRUISE = path.join(ROOT, 'node_modules', '.bin', 'depcruise');

interface Violation {
  readonly rule: { readonly name: string };
  readonly from: string;
  readonly to: string;
}

/**
 * Writes `files` as a tiny tree with the project's rules and cruises it twice: as `npm run deps` does (its exit
 * status fails `npm test`), and as JSON for the violations.
 */
function cruise(files: Record<string, string>): { status: number | null; violations: Violation[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hybridops-layers-'));
  try {
    fs.copyFileSync(path.join(ROOT, '.dependency-cruiser.cjs'), path.join(dir, '.dependency-cruiser.cjs'));
    fs.writeFileSync(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'commonjs', strict: true }, include: ['src'] }),
    );
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    }
    const depcruise = (...args: string[]) =>
      spawnSync(DEPCRUISE, ['src', '--config', '.dependency-cruiser.cjs', ...args], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 60_000,
      });
    const check = depcruise();
    const json = depcruise('--output-type', 'json');
    if (!json.stdout) throw new Error(`depcruise printed nothing: ${json.stderr}`);
    const result = JSON.parse(json.stdout) as { summary: { violations: Violation[] } };
    return { status: check.status, violations: result.summary.violations };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A tree that keeps the rules: each layer imports one below it, the agent loads the lab on demand. */
const GOOD: Record<string, string> = {
  'src/core/ports.ts': 'export interface Clock { now(): Date }\n',
  'src/exchange/render.ts': "import type { Clock } from '../core/ports';\nexport type R = Clock;\n",
  'src/engine/planner.ts': "import type { R } from '../exchange/render';\nexport type P = R;\n",
  'src/verify/verify-runbook.ts': "import type { P } from '../engine/planner';\nexport type V = P;\n",
  'src/lab/exchange-org.ts': "import type { R } from '../exchange/render';\nexport type L = R;\n",
  'src/relay/hub.ts': "import type { R } from '../exchange/render';\nexport type H = R;\n",
  'src/relay/agent.ts':
    "import type { H } from './hub';\nexport type A = H;\nexport const lab = () => import('../lab/exchange-org');\n",
  'src/bot/services.ts': "import type { V } from '../verify/verify-runbook';\nexport type S = V;\n",
  'src/cli/main.ts': "import type { L } from '../lab/exchange-org';\nexport type C = L;\n",
  'src/app.ts': "import type { S } from './bot/services';\nexport type App = S;\n",
  'src/cli.ts': "import type { C } from './cli/main';\nexport type Cli = C;\n",
};

describe('the import rules', () => {
  it('pass a tree that keeps them, with the agent loading the lab executor on demand', () => {
    expect(cruise(GOOD)).toEqual({ status: 0, violations: [] });
  });

  it('report each forbidden direction, the cycle and every way the relay could reach the lab', () => {
    const { status, violations } = cruise({
      ...GOOD,
      // The core reaches up into Teams.
      'src/core/ports.ts': "import type { S } from '../bot/services';\nexport type Clock = S;\n",
      // The engine and verification import each other.
      'src/engine/planner.ts':
        "import type { V } from '../verify/verify-runbook';\nimport type { R } from '../exchange/render';\nexport type P = R | V;\n",
      // A relay module reaches the simulated org through the command model.
      'src/exchange/render.ts': "import type { L } from '../lab/exchange-org';\nexport type R = L;\n",
      'src/lab/exchange-org.ts': 'export type L = string;\n',
      // The agent entry loads the lab statically.
      'src/relay/agent.ts': "import type { L } from '../lab/exchange-org';\nexport type A = L;\n",
    });
    expect(status).not.toBe(0);
    const found = violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
    expect(found).toEqual(
      expect.arrayContaining([
        'core-at-the-bottom: src/core/ports.ts → src/bot/services.ts',
        'bot-from-entries: src/core/ports.ts → src/bot/services.ts',
        'features-below-surfaces: src/engine/planner.ts → src/verify/verify-runbook.ts',
        'no-circular: src/engine/planner.ts → src/verify/verify-runbook.ts',
        'exchange-alone: src/exchange/render.ts → src/lab/exchange-org.ts',
        'lab-from-entries: src/exchange/render.ts → src/lab/exchange-org.ts',
        'relay-never-reaches-lab: src/relay/hub.ts → src/lab/exchange-org.ts',
        'agent-loads-lab-on-demand: src/relay/agent.ts → src/lab/exchange-org.ts',
      ]),
    );
  });
});
