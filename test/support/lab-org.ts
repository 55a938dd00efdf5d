/** A fresh lab org on disk and a live session on it, for tests that drive the engine against real parts. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Plan } from '../../src/core/plan';
import type { Clock } from '../../src/core/ports';
import { planRunbook } from '../../src/engine/planner';
import { type CreateLabStateOptions, createLabState } from '../../src/lab/init';
import { createLabFile, loadLabFile } from '../../src/lab/lab-file';
import { type LabSession, openLabSession } from '../../src/lab/lab-session';
import { getRunbook, validateInputs } from '../../src/runbooks';
import { openStore } from '../../src/store/open-store';
import type { RunRepository } from '../../src/store/run-repository';

export const DOMAIN = 'contoso.com';
export const DC = 'dc01.contoso.com';

/** A clock fixed at one instant, so plans and key dates are reproducible. */
export function fixedClock(iso = '2026-11-21T12:00:00Z'): Clock {
  const now = new Date(iso);
  return { now: () => new Date(now) };
}

/** A temporary directory, removed by the returned cleanup. */
export function tempDir(prefix = 'hybridops-'): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Writes a fresh lab org to `dir/lab.json` and returns its path. With hybrid OAuth, it runs on the dedicated hybrid
 * application, as an org whose OAuth works after 2025-10-31 does.
 */
export async function writeLabOrg(
  dir: string,
  clock: Clock,
  options: Partial<CreateLabStateOptions> = {},
): Promise<string> {
  const file = path.join(dir, 'lab.json');
  const dedicatedApp = options.hybridOAuth !== false;
  const state = await createLabState({ now: clock.now(), domain: DOMAIN, dedicatedApp, ...options });
  createLabFile(file, state, { overwrite: true });
  return file;
}

export interface LabFixture {
  readonly file: string;
  readonly session: LabSession;
  readonly store: RunRepository;
  readonly clock: Clock;
  /** The lab file as it is on disk now. */
  readonly onDisk: () => ReturnType<typeof loadLabFile>;
  readonly close: () => Promise<void>;
}

/** A fresh lab org with a live session and an in-memory store (its runs and audit log). */
export async function openLabFixture(options: Partial<CreateLabStateOptions> = {}): Promise<LabFixture> {
  const clock = fixedClock();
  const { dir, cleanup } = tempDir();
  const file = await writeLabOrg(dir, clock, options);
  const session = await openLabSession(file, clock);
  const opened = await openStore(':memory:');
  return {
    file,
    session,
    store: opened.runs,
    clock,
    onDisk: () => loadLabFile(file),
    close: async () => {
      await opened.close();
      await session.close();
      cleanup();
    },
  };
}

/** Mutating cmdlets in the org's command log that were sent more than once (by their exact parameters). */
export function repeatedMutations(
  log: readonly { cmdlet: string; params: unknown; mutating: boolean }[],
): string[] {
  const seen = new Map<string, number>();
  for (const entry of log.filter((e) => e.mutating)) {
    const key = `${entry.cmdlet} ${JSON.stringify(entry.params)}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return [...seen].filter(([, count]) => count > 1).map(([key]) => key);
}

/** The plan of `dedicated-hybrid-app` on an org without the dedicated application (it is made from nothing). */
export async function planDedicatedAppFromNothing(): Promise<Plan> {
  const lab = await openLabFixture({ dedicatedApp: false });
  try {
    const runbook = getRunbook('dedicated-hybrid-app');
    const inputs = validateInputs(runbook, {
      domain: DOMAIN,
      dc: DC,
      tenantId: lab.onDisk().tenant.tenantId,
    });
    const { plan } = await planRunbook(runbook, inputs, {
      ems: lab.session.ems,
      graph: lab.session.graph,
      clock: lab.clock,
    });
    return plan;
  } finally {
    await lab.close();
  }
}
