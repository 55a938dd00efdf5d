/** What the lab's Graph collections (applications, service principals) share: list, get one, PATCH. */
import type { LabResponse } from './http';
import { EXPAND_LIMIT, type FilterFields, parseExpand, parseFilter, parseSelect } from './odata';
import { bodyObject, contextUrl, type ResourceContext } from './resource';

/** How a collection's items are read: its context URL, type name, properties, `$filter` fields, projection. */
export interface CollectionReads<T, P extends string> {
  readonly context: string;
  readonly typeName: string;
  readonly properties: readonly P[];
  readonly filter: FilterFields<T>;
  project(item: T, select: readonly P[], withKeys: boolean): Record<string, unknown>;
}

/** The navigation properties a collection can `$expand`, by name: each reads an item's related objects. */
export type Navigation<T> = Readonly<Record<string, (item: T) => readonly unknown[]>>;

/** Adds every `$expand`ed relationship to a projected item, at most EXPAND_LIMIT objects each, as Graph does. */
function expander<T, P extends string>(
  query: URLSearchParams,
  reads: CollectionReads<T, P>,
  navigation: Navigation<T>,
): (item: T, projected: Record<string, unknown>) => Record<string, unknown> {
  const expand = parseExpand(query.get('$expand'), Object.keys(navigation), reads.properties, reads.typeName);
  return (item, projected) => {
    for (const name of expand) projected[name] = (navigation[name]?.(item) ?? []).slice(0, EXPAND_LIMIT);
    return projected;
  };
}

/** GET on the collection: the items `$filter` matches, projected to `$select`, keys without their bytes, `$expand`ed. */
export function listItems<T, P extends string>(
  items: readonly T[],
  query: URLSearchParams,
  reads: CollectionReads<T, P>,
  navigation: Navigation<T> = {},
): LabResponse {
  const matches = parseFilter(query.get('$filter'), reads.filter);
  const select = parseSelect(query.get('$select'), reads.properties, reads.typeName);
  const expand = expander(query, reads, navigation);
  const value = items.filter(matches).map((item) => expand(item, reads.project(item, select, false)));
  return { status: 200, body: { '@odata.context': contextUrl(reads.context, query, ''), value } };
}

/** GET on one item. Per the keyCredential docs, `key` comes back only for a single object read with an explicit $select. */
export function getItem<T, P extends string>(
  item: T,
  query: URLSearchParams,
  reads: CollectionReads<T, P>,
  navigation: Navigation<T> = {},
): LabResponse {
  const select = parseSelect(query.get('$select'), reads.properties, reads.typeName);
  const withKeys = query.get('$select') !== null && select.includes('keyCredentials' as P);
  const expand = expander(query, reads, navigation);
  return {
    status: 200,
    body: {
      '@odata.context': contextUrl(reads.context, query, '/$entity'),
      ...expand(item, reads.project(item, select, withKeys)),
    },
  };
}

/** PATCH: each property of the body set by `withProperty` (which refuses what Graph refuses), then saved; 204. */
export function patchItem<T>(
  ctx: ResourceContext,
  items: T[],
  item: T,
  body: unknown,
  withProperty: (item: T, name: string, value: unknown) => T,
): LabResponse {
  let updated = item;
  for (const [name, value] of Object.entries(bodyObject(body))) updated = withProperty(updated, name, value);
  items[items.indexOf(item)] = updated;
  ctx.persist();
  return { status: 204 };
}
