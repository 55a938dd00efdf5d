/** Queries a hot path runs over and over (a job, a command), compiled once and run with new values each time. */
import { type Compilable, CompiledQuery, type Kysely } from 'kysely';
import type { StoreTables } from './tables';

const SLOT = Symbol('slot');

interface Slot {
  readonly [SLOT]: string;
}

const isSlot = (value: unknown): value is Slot =>
  typeof value === 'object' && value !== null && SLOT in value;

/** Stands for the value named `name` in a precompiled query; typed as the column it fills. */
export function slot<T>(name: string): T {
  return { [SLOT]: name } as unknown as T;
}

/**
 * Kysely builds and compiles a query on every call, which on SQLite costs about as much as running a short
 * statement. `build` is compiled on first use, with `slot`s where the values go; each call then binds
 * `values` by slot name and runs the same SQL on `db` (the store's handle, or a transaction's).
 * Resolves with the number of rows the statement touched.
 */
export function precompiled<Values extends Record<string, unknown>>(
  build: () => Compilable<unknown>,
): (db: Pick<Kysely<StoreTables>, 'executeQuery'>, values: Values) => Promise<number> {
  let compiled: CompiledQuery | null = null;
  return async (db, values) => {
    compiled ??= build().compile();
    const parameters = compiled.parameters.map((value) => (isSlot(value) ? values[value[SLOT]] : value));
    const result = await db.executeQuery(CompiledQuery.raw(compiled.sql, parameters));
    return Number(result.numAffectedRows ?? 0n);
  };
}
