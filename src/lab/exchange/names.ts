/** How Exchange names directory objects: canonical identities, DNs, aliases, wildcard identities. */

/** `<domain>/Users/<Name>`, the Identity Exchange shows for objects in the Users container. */
export function canonicalIdentity(name: string, domain: string): string {
  return `${domain}/Users/${name}`;
}

/** `CN=<Name>,CN=Users,DC=contoso,DC=com`, with RFC 4514 escaping of the name. */
export function distinguishedName(name: string, domain: string): string {
  const dcs = domain
    .split('.')
    .map((label) => `DC=${label}`)
    .join(',');
  return `CN=${escapeRdn(name)},CN=Users,${dcs}`;
}

function escapeRdn(value: string): string {
  return value
    .replace(/[\\,+"<>;=]/g, (ch) => `\\${ch}`)
    .replace(/^[ #]/, (ch) => `\\${ch}`)
    .replace(/ $/, '\\ ');
}

// Characters Exchange accepts in an alias (RFC 5322 atext plus the period).
const ALIAS_CHAR = /[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.]/;

/** The alias Exchange derives from a name: invalid characters dropped, no leading/trailing/double periods. */
export function aliasFromName(name: string): string {
  const kept = [...name].filter((ch) => ALIAS_CHAR.test(ch)).join('');
  return kept.replace(/\.{2,}/g, '.').replace(/^\.+|\.+$/g, '');
}

/** Case-insensitive equality, as Active Directory compares names. */
export function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Whether an identity pattern contains the `*` wildcard. */
export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*');
}

/** Case-insensitive match of a value against a pattern where `*` matches any run of characters. */
export function wildcardMatch(pattern: string, value: string): boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 'i').test(value);
}
