/** Queries a hot path runs over and over (a job, a command), compiled once and run with new values each time. */
import { type Compilable, CompiledQuery, type Kysely, type QueryResult } from 'kysely';
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
  const run = precompiledRows<unknown, Values>(build);
  return async (db, values) => Number((await run.result(db, values)).numAffectedRows ?? 0n);
}

/** As `precompiled`, for a query whose rows are wanted (a select, or a write with `returning`). */
export function precompiledRows<Row, Values extends Record<string, unknown>>(
  build: () => Compilable<Row>,
): {
  (db: Pick<Kysely<StoreTables>, 'executeQuery'>, values: Values): Promise<Row[]>;
  result(db: Pick<Kysely<StoreTables>, 'executeQuery'>, values: Values): Promise<QueryResult<Row>>;
} {
  let compiled: CompiledQuery | null = null;
  const result = (db: Pick<Kysely<StoreTables>, 'executeQuery'>, values: Values) => {
    compiled ??= build().compile();
    const parameters = compiled.parameters.map((value) => (isSlot(value) ? values[value[SLOT]] : value));
    return db.executeQuery<Row>(CompiledQuery.raw(compiled.sql, parameters));
  };
  return Object.assign(
    async (db: Pick<Kysely<StoreTables>, 'executeQuery'>, values: Values) => (await result(db, values)).rows,
    { result },
  );
}
