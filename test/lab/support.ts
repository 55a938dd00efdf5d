/** Shared set-up for the lab tests: a fixed clock and a fresh org built once and cloned per test. */
import type { CmdletName, EmsCommand, EmsResult, ParamValue } from '../../src/core/ems';
import { SimulatedExchange } from '../../src/lab/exchange-org';
import { type CreateLabStateOptions, createLabState } from '../../src/lab/init';
import type { LabState } from '../../src/lab/state';

export const T0 = new Date('2025-03-01T12:00:00.000Z');
export const TENANT_ID = '11111111-2222-3333-4444-555555555555';

/** A clock that stands still until a test moves it. */
export class FixedClock {
  constructor(private current: Date = T0) {}
  now(): Date {
    return new Date(this.current);
  }
  set(date: Date): void {
    this.current = new Date(date);
  }
}

const cache = new Map<string, Promise<LabState>>();

/** A fresh lab state for these options; the expensive key generation happens once per option set. */
export async function freshState(options: Partial<CreateLabStateOptions> = {}): Promise<LabState> {
  const key = JSON.stringify(options);
  let base = cache.get(key);
  if (!base) {
    base = createLabState({ now: T0, tenantId: TENANT_ID, ...options });
    cache.set(key, base);
  }
  return structuredClone(await base);
}

export interface LabHarness {
  readonly state: LabState;
  readonly exchange: SimulatedExchange;
  readonly clock: FixedClock;
  readonly persisted: LabState[];
  run(cmdlet: CmdletName, params?: Record<string, ParamValue>): Promise<EmsResult>;
}

/** A simulated org whose persist() snapshots the state, so tests can see what reached "disk". */
export async function harness(options: Partial<CreateLabStateOptions> = {}): Promise<LabHarness> {
  const state = await freshState(options);
  const clock = new FixedClock();
  const persisted: LabState[] = [];
  const exchange = new SimulatedExchange(state, {
    clock,
    persist: () => persisted.push(structuredClone(state)),
  });
  return {
    state,
    exchange,
    clock,
    persisted,
    run: (cmdlet, params = {}) => exchange.execute({ cmdlet, params } satisfies EmsCommand),
  };
}

/** The error message of a failed result (fails the test if the command succeeded). */
export function errorOf(result: EmsResult): { message: string; category: string; errorId: string } {
  if (result.ok) throw new Error(`expected the command to fail, got ${JSON.stringify(result.output)}`);
  return result.error;
}

/** The output of a successful result (fails the test with the Exchange error otherwise). */
export function outputOf(result: EmsResult): readonly Record<string, unknown>[] {
  if (!result.ok) throw new Error(`expected success, got: ${result.error.message}`);
  return result.output;
}
