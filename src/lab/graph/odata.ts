/**
 * The slice of OData query options the lab Graph understands: `$filter` (eq, and `any` on one collection), `$select`
 * and `$expand` of the navigation properties a resource serves.
 */
import { GraphFault } from './http';

/** How a resource exposes its filterable properties: scalar ones by lower-case name, and string collections. */
export interface FilterFields<T> {
  /** Lower-case property name → its value (directory objects compare strings case-insensitively). */
  readonly scalars: Readonly<Record<string, (item: T) => string>>;
  /** Lower-case property name → its values, for `<name>/any(x:x eq '…')`. */
  readonly collections?: Readonly<Record<string, (item: T) => readonly string[]>>;
  /** The Graph type, for error texts: `ServicePrincipal`, `Application`. */
  readonly typeName: string;
}

const EQ = /^\s*([A-Za-z][A-Za-z0-9]*)\s+eq\s+'((?:[^']|'')*)'\s*$/;
const ANY_EQ = /^\s*([A-Za-z][A-Za-z0-9]*)\/any\(\s*(\w+)\s*:\s*(\w+)\s+eq\s+'((?:[^']|'')*)'\s*\)\s*$/i;

/** Parses `$filter`: `<property> eq '…'` or `<collection>/any(x:x eq '…')`; anything else is Graph's 400. */
export function parseFilter<T>(filter: string | null, fields: FilterFields<T>): (item: T) => boolean {
  if (filter === null) return () => true;
  const any = ANY_EQ.exec(filter);
  if (any !== null) {
    const read = fields.collections?.[(any[1] ?? '').toLowerCase()];
    if (read === undefined || any[2] !== any[3]) throw invalidFilter(filter);
    const value = unquote(any[4] ?? '').toLowerCase();
    return (item) => read(item).some((n) => n.toLowerCase() === value);
  }
  const eq = EQ.exec(filter);
  if (eq === null) throw invalidFilter(filter);
  const property = eq[1] ?? '';
  const read = fields.scalars[property.toLowerCase()];
  if (read === undefined) {
    throw new GraphFault(
      400,
      'Request_UnsupportedQuery',
      `Unsupported or invalid query filter clause specified for property '${property}' of resource '${fields.typeName}'.`,
    );
  }
  const value = unquote(eq[2] ?? '').toLowerCase();
  return (item) => read(item).toLowerCase() === value;
}

/** Parses `$select` into the properties to return (all of `properties` when absent). */
export function parseSelect<P extends string>(
  select: string | null,
  properties: readonly P[],
  typeName: string,
): readonly P[] {
  if (select === null || select.trim() === '') return properties;
  return select.split(',').map((raw) => {
    const name = raw.trim();
    const property = properties.find((p) => p.toLowerCase() === name.toLowerCase());
    if (property === undefined) {
      throw new GraphFault(
        400,
        'BadRequest',
        `Could not find a property named '${name}' on type 'microsoft.graph.${typeName}'.`,
      );
    }
    return property;
  });
}

/** Graph's limit on an expanded relationship of a directory object: at most 20 items, and no nextLink. */
export const EXPAND_LIMIT = 20;

/**
 * Parses `$expand` into the navigation properties to expand (none when absent). A property the type has but cannot
 * expand, a name it doesn't have, or nested options are Graph's 400 "Parsing OData Select and Expand failed".
 */
export function parseExpand<N extends string>(
  expand: string | null,
  navigation: readonly N[],
  properties: readonly string[],
  typeName: string,
): readonly N[] {
  if (expand === null || expand.trim() === '') return [];
  return expand.split(',').map((raw) => {
    const name = raw.trim();
    const found = navigation.find((n) => n.toLowerCase() === name.toLowerCase());
    if (found !== undefined) return found;
    if (!/^\w+$/.test(name))
      throw expandFailed(`Term '${name}' is not valid in a $select or $expand expression.`);
    if (properties.some((p) => p.toLowerCase() === name.toLowerCase())) {
      throw expandFailed(
        `Property '${name}' on type 'microsoft.graph.${typeName}' is not a navigation property or complex property. Only navigation properties can be expanded.`,
      );
    }
    throw expandFailed(`Could not find a property named '${name}' on type 'microsoft.graph.${typeName}'.`);
  });
}

function expandFailed(reason: string): GraphFault {
  return new GraphFault(400, 'BadRequest', `Parsing OData Select and Expand failed: ${reason}`);
}

function unquote(value: string): string {
  return value.replace(/''/g, "'");
}

function invalidFilter(filter: string): GraphFault {
  return new GraphFault(
    400,
    'BadRequest',
    `Invalid filter clause: The query specified in the URI is not valid. '${filter}'`,
  );
}
