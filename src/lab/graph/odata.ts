/** The slice of OData query options the lab Graph understands for servicePrincipals: `$filter` and `$select`. */
import type { LabServicePrincipal } from '../state';
import { GraphFault } from './http';

export type SpProperty = 'id' | 'appId' | 'displayName' | 'servicePrincipalNames' | 'keyCredentials';
export const SP_PROPERTIES: readonly SpProperty[] = [
  'id',
  'appId',
  'displayName',
  'servicePrincipalNames',
  'keyCredentials',
];

export type SpPredicate = (sp: LabServicePrincipal) => boolean;

const EQ = /^\s*([A-Za-z][A-Za-z0-9]*)\s+eq\s+'((?:[^']|'')*)'\s*$/;
const ANY_EQ = /^\s*servicePrincipalNames\/any\(\s*(\w+)\s*:\s*(\w+)\s+eq\s+'((?:[^']|'')*)'\s*\)\s*$/i;
// Directory objects compare strings case-insensitively; that is why the seed's `AppId eq` works.
const SCALAR_FILTERS: Readonly<Record<string, (sp: LabServicePrincipal) => string>> = {
  id: (sp) => sp.id,
  appid: (sp) => sp.appId,
  displayname: (sp) => sp.displayName,
};

/** Parses `$filter`: `<id|appId|displayName> eq '…'` or `servicePrincipalNames/any(x:x eq '…')`. */
export function parseFilter(filter: string | null): SpPredicate {
  if (filter === null) return () => true;
  const any = ANY_EQ.exec(filter);
  if (any !== null) {
    if (any[1] !== any[2]) throw invalidFilter(filter);
    const value = unquote(any[3] ?? '').toLowerCase();
    return (sp) => sp.servicePrincipalNames.some((n) => n.toLowerCase() === value);
  }
  const eq = EQ.exec(filter);
  if (eq === null) throw invalidFilter(filter);
  const property = eq[1] ?? '';
  const read = SCALAR_FILTERS[property.toLowerCase()];
  if (read === undefined) {
    throw new GraphFault(
      400,
      'Request_UnsupportedQuery',
      `Unsupported or invalid query filter clause specified for property '${property}' of resource 'ServicePrincipal'.`,
    );
  }
  const value = unquote(eq[2] ?? '').toLowerCase();
  return (sp) => read(sp).toLowerCase() === value;
}

/** Parses `$select` into the properties to return (all modelled ones when absent). */
export function parseSelect(select: string | null): readonly SpProperty[] {
  if (select === null || select.trim() === '') return SP_PROPERTIES;
  return select.split(',').map((raw) => {
    const name = raw.trim();
    const property = SP_PROPERTIES.find((p) => p.toLowerCase() === name.toLowerCase());
    if (property === undefined) {
      throw new GraphFault(
        400,
        'BadRequest',
        `Could not find a property named '${name}' on type 'microsoft.graph.servicePrincipal'.`,
      );
    }
    return property;
  });
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
