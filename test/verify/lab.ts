/** A lab org with the Teams integration applied, a clock tests move, and helpers to break and fix it. */

import type { Clock } from '../../src/core/ports';
import { applyRunbook } from '../../src/engine/apply';
import type { CreateLabStateOptions } from '../../src/lab/init';
import { saveLabFile } from '../../src/lab/lab-file';
import { type LabSession, openLabSession } from '../../src/lab/lab-session';
import { getRunbook, validateInputs } from '../../src/runbooks';
import type { Runbook, RunbookInputs, RunbookName } from '../../src/runbooks/types';
import { openStore } from '../../src/store/open-store';
import type { RunRepository } from '../../src/store/run-repository';
import type { Check, VerifyReport } from '../../src/verify/types';
import { verifyOrg } from '../../src/verify/verify-runbook';
import { DC, DOMAIN, tempDir, writeLabOrg } from '../support/lab-org';

export const TEST_MAILBOX = `AdeleV@${DOMAIN}`;
export const DAY_MS = 86_400_000;

/** A clock that stands still until the test moves it. */
export class MovableClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  advanceDays(days: number): void {
    this.current = new Date(this.current.getTime() + days * DAY_MS);
  }
  set(date: Date): void {
    this.current = new Date(date);
  }
}

export interface VerifiedLab {
  /** The live session; replaced when time moves (the lab's Graph tokens live in lab time). */
  readonly session: LabSession;
  readonly file: string;
  readonly clock: MovableClock;
  readonly store: RunRepository;
  readonly inputs: RunbookInputs;
  readonly deps: { ems: LabSession['ems']; graph: LabSession['graph']; clock: Clock; store: RunRepository };
  /** Moves the clock and re-opens the session, as a bot that keeps running would get fresh tokens. */
  advanceDays(days: number): Promise<void>;
  /** Applies a runbook (default `teams`) and fails the test when the run fails. */
  apply(name?: RunbookName): Promise<void>;
  verify(name?: RunbookName): Promise<VerifyReport>;
  /** The check with this id from a fresh verification. */
  check(id: string, name?: RunbookName): Promise<Check>;
  /** POST /$batch requests the Graph endpoint received since the last call (of this or graphRequestsSinceLastCall). */
  batchesSinceLastCall(): number;
  /** The top-level Graph requests (`METHOD /v1.0/path`, no query; a `$batch` once) since the last call (of either). */
  graphRequestsSinceLastCall(): string[];
  close(): Promise<void>;
}

/** A fresh lab org (clock at 2026-11-21) with an integration runbook (default `teams`) applied. */
export async function openVerifiedLab(
  options: Partial<CreateLabStateOptions> = {},
  integration: RunbookName = 'teams',
): Promise<VerifiedLab> {
  const clock = new MovableClock(new Date('2026-11-21T12:00:00Z'));
  const { dir, cleanup } = tempDir('hybridops-verify-');
  const file = await writeLabOrg(dir, clock, options);
  let session = await openLabSession(file, clock);
  const opened = await openStore(':memory:');
  const store = opened.runs;
  const runbookFor = (name: RunbookName): Runbook => getRunbook(name);
  const inputs = validateInputs(runbookFor('teams'), {
    domain: DOMAIN,
    dc: DC,
    tenantId: session.state.tenant.tenantId,
  });
  let seen = session.state.tenant.requestLog.length;
  const logSinceLastCall = () => {
    const log = session.state.tenant.requestLog.slice(seen);
    seen = session.state.tenant.requestLog.length;
    return log;
  };
  const lab: VerifiedLab = {
    get session() {
      return session;
    },
    file,
    clock,
    store,
    inputs,
    get deps() {
      return { ems: session.ems, graph: session.graph, clock, store };
    },
    advanceDays: async (days) => {
      saveLabFile(file, session.state);
      await session.close();
      clock.advanceDays(days);
      session = await openLabSession(file, clock);
      seen = session.state.tenant.requestLog.length;
    },
    apply: async (name = 'teams') => {
      const result = await applyRunbook(
        { runbook: runbookFor(name), inputs, target: file, requestedBy: 'alice', approvedBy: 'bob' },
        lab.deps,
      );
      if (result.state !== 'succeeded') throw new Error(`apply ${name} failed: ${result.error}`);
    },
    verify: (name = 'teams') => verifyOrg(runbookFor(name), inputs, lab.deps, { testMailbox: TEST_MAILBOX }),
    check: async (id, name) => {
      const found = (await lab.verify(name)).checks.find((check) => check.id === id);
      if (!found) throw new Error(`no check ${id}`);
      return found;
    },
    batchesSinceLastCall: () =>
      logSinceLastCall().filter((entry) => entry.method === 'POST' && entry.path === '/v1.0/$batch').length,
    graphRequestsSinceLastCall: () =>
      logSinceLastCall()
        .filter((entry) => entry.path.startsWith('/v1.0/') && !entry.path.includes('#'))
        .map((entry) => `${entry.method} ${entry.path.split('?')[0]}`),
    close: async () => {
      await opened.close();
      await session.close();
      cleanup();
    },
  };
  await lab.apply(integration);
  return lab;
}

/** The ids of the failing checks. */
export function failing(report: VerifyReport): string[] {
  return report.checks.filter((check) => !check.ok).map((check) => check.id);
}
