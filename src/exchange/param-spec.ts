/** The shape of the cmdlet spec table: how each parameter is typed, and the helpers the table is written with. */

/**
 * How a parameter's value is typed and rendered:
 * - `string`: a single-quoted literal;
 * - `bool`: a [Boolean] parameter, rendered `-Enabled $true`;
 * - `switch`: a [SwitchParameter], rendered `-Force` when true and `-Confirm:$false` when false;
 * - `int`: a non-negative decimal integer;
 * - `datetime`: an ISO-8601 string, rendered as a single-quoted literal PowerShell converts to [DateTime];
 * - `strings`: a multi-valued property, rendered `'a','b'` (or `@()` when empty).
 */
export type ParamKind = 'string' | 'bool' | 'switch' | 'int' | 'datetime' | 'strings';

/** One named parameter of a cmdlet. */
export interface ParamSpec {
  readonly kind: ParamKind;
  readonly required: boolean;
  /**
   * The only values hybridops may send (a `string` parameter), compared case-insensitively as PowerShell's
   * ValidateSet compares them. Used where a cmdlet can do far more than the procedures need.
   */
  readonly values?: readonly string[];
}

/** What hybridops knows about one cmdlet. Parameter names are spelled as the Exchange reference spells them. */
export interface CmdletSpec {
  /** True when running the cmdlet changes the organization, so it needs an approval before it runs. */
  readonly mutates: boolean;
  readonly params: Readonly<Record<string, ParamSpec>>;
  /** The parameter a bare first argument binds to (`Get-ManagementRoleEntry 'Role\*'`), as Exchange declares it. */
  readonly positional?: string;
  /** Parameters that pick the parameter set: exactly one of them must be given. */
  readonly exactlyOneOf?: readonly string[];
  /**
   * The reference's parameter sets, by name, listing the parameters that belong to some sets only; a parameter
   * in none of them belongs to all. The parameters given must all fit one set.
   */
  readonly parameterSets?: Readonly<Record<string, readonly string[]>>;
}

export const str: ParamSpec = { kind: 'string', required: false };
export const reqStr: ParamSpec = { kind: 'string', required: true };
export const bool: ParamSpec = { kind: 'bool', required: false };
export const sw: ParamSpec = { kind: 'switch', required: false };
export const int: ParamSpec = { kind: 'int', required: false };
export const date: ParamSpec = { kind: 'datetime', required: false };
export const strs: ParamSpec = { kind: 'strings', required: false };
export const reqStrs: ParamSpec = { kind: 'strings', required: true };

/** A mandatory string parameter that accepts only `values`. */
export function oneOf(...values: string[]): ParamSpec {
  return { kind: 'string', required: true, values };
}

/** An optional string parameter that accepts only `values`. */
export function optionalOneOf(...values: string[]): ParamSpec {
  return { kind: 'string', required: false, values };
}

// Every Exchange cmdlet here takes -DomainController except Test-OAuthConnectivity and Get-ExchangeDiagnosticInfo;
// pinning one DC keeps a create-then-read sequence consistent before AD replication catches up.
export const dc = { DomainController: str } as const;
