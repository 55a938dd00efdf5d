/** What every lab Graph resource works with: the request, the tenant state, and Graph's body rules. */
import type { Clock } from '../../core/ports';
import type { LabState } from '../state';
import { emptyPayload } from './faults';
import { GraphFault } from './http';

/** One Graph call, top-level or inside `$batch`; `path` is relative to `/v1.0`. */
export interface LabGraphRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: unknown;
}

export interface ResourceContext {
  readonly state: LabState;
  /** Saves the state; called before a mutation is answered. */
  readonly persist: () => void;
  /** createdDateTime of new objects. */
  readonly clock: Clock;
}

/** The `@odata.context` of an answer, with the `$select` list when one was given. */
export function contextUrl(base: string, query: URLSearchParams, suffix: string): string {
  const select = query.get('$select');
  return select === null ? `${base}${suffix}` : `${base}(${select})${suffix}`;
}

/** A PATCH or POST body as an object, or Graph's empty-payload error. */
export function bodyObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw emptyPayload();
  return body as Record<string, unknown>;
}

/** A string-collection property (tags, servicePrincipalNames), or Graph's invalid-properties error. */
export function stringList(value: unknown, name: string): string[] {
  if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string')) {
    throw new GraphFault(400, 'BadRequest', `The property '${name}' must be a collection of strings.`);
  }
  return [...value];
}

/** An optional string property (description, notes): a string, or null to clear it. */
export function nullableString(value: unknown, name: string): string | null {
  if (value === null || typeof value === 'string') return value;
  throw new GraphFault(400, 'BadRequest', `The value for the property '${name}' must be a string.`);
}
