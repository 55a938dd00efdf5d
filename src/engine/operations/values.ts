/** Named values: which names an operation refers to, and the operation with the bound outputs filled in. */
import type { EmsCommand, ParamValue } from '../../core/ems';
import { CodedError } from '../../core/errors';
import {
  type GraphBody,
  type GraphOperation,
  isValueRef,
  type Operation,
  type OperationParam,
  type ValueRef,
} from '../../core/plan';
import type { GraphRequest } from '../../core/ports';
import { refText } from './render';

/** What earlier operations of a run bound: name → their output object. */
export type BoundValues = ReadonlyMap<string, Readonly<Record<string, unknown>>>;

function refsIn(value: unknown, into: ValueRef[]): void {
  if (isValueRef(value)) into.push(value);
  else if (Array.isArray(value)) for (const item of value) refsIn(item, into);
  else if (value !== null && typeof value === 'object')
    for (const item of Object.values(value)) refsIn(item, into);
}

/** The named values an operation refers to, in order of appearance. */
export function referencesOf(op: Operation): ValueRef[] {
  const refs: ValueRef[] = [];
  if (op.kind === 'ems') refsIn(op.params, refs);
  else refsIn([op.path, op.body], refs);
  return refs;
}

function lookup(ref: ValueRef, values: BoundValues): unknown {
  const bound = values.get(ref.$value);
  if (!bound) return undefined;
  const value = bound[ref.field];
  if (value === undefined || value === null || value === '') {
    throw new CodedError(
      'STEP_FAILED',
      `${refText(ref)} is empty: the command that made $${ref.$value} returned no ${ref.field}.`,
    );
  }
  return value;
}

function fill<T>(value: T, values: BoundValues): T {
  if (isValueRef(value)) {
    const found = lookup(value, values);
    return (found === undefined ? value : found) as T;
  }
  if (Array.isArray(value)) return value.map((item) => fill(item, values)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fill(item, values)])) as T;
  }
  return value;
}

/** The operation with the named values already bound filled in; the others stay references. */
export function fillKnown(op: Operation, values: BoundValues): Operation {
  if (referencesOf(op).length === 0) return op;
  return op.kind === 'ems'
    ? { ...op, params: fill(op.params, values) }
    : { ...op, path: fill(op.path, values), body: fill(op.body, values) };
}

function unbound(op: Operation): never {
  const missing = referencesOf(op)[0];
  throw new CodedError(
    'STEP_FAILED',
    `${missing ? refText(missing) : 'A named value'} is not known in this run: the command that makes it has not run.`,
  );
}

function asParam(value: OperationParam, name: string): ParamValue {
  if (isValueRef(value)) throw new CodedError('STEP_FAILED', `-${name} was not filled in.`);
  if (typeof value === 'object' && !Array.isArray(value)) {
    throw new CodedError('STEP_FAILED', `-${name} was filled with an object, not text.`);
  }
  return value;
}

/** The EMS command to send, every named value filled in; throws STEP_FAILED when one is not known. */
export function emsCommandOf(op: Operation & { kind: 'ems' }, values: BoundValues): EmsCommand {
  const filled = fillKnown(op, values) as typeof op;
  if (referencesOf(filled).length > 0) unbound(filled);
  const params: Record<string, ParamValue> = {};
  for (const [name, value] of Object.entries(filled.params)) params[name] = asParam(value, name);
  return { cmdlet: op.cmdlet, params };
}

/** The Graph request to send, every named value filled in; throws STEP_FAILED when one is not known. */
export function graphRequestOf(op: GraphOperation, values: BoundValues): GraphRequest {
  const filled = fillKnown(op, values) as GraphOperation;
  if (referencesOf(filled).length > 0) unbound(filled);
  // A value filled into the path is one path segment, whatever it holds.
  const path = op.path
    .map((part, index) => (isValueRef(part) ? encodeURIComponent(String(filled.path[index])) : part))
    .join('');
  return { method: op.method, path, body: filled.body as GraphBody };
}
