/** Validation of command objects: the gate both the bot and the relay agent pass every command through. */
import { z } from 'zod/v4';
import { CMDLET_NAMES, type CmdletName, type EmsCommand, type ParamValue } from '../core/ems';
import { CodedError } from '../core/errors';
import { CMDLET_SPECS, canonicalParamName, type ParamKind, type ParamSpec, paramSpec } from './cmdlets';

/** The longest string value accepted, in UTF-16 code units. Real values (names, URLs, thumbprints) are far shorter. */
export const MAX_VALUE_LENGTH = 1024;

/** The most items a multi-valued parameter may carry. */
export const MAX_LIST_ITEMS = 64;

/** Every cmdlet hybridops may run; anything else is refused before it reaches a shell. */
export const ALLOWED_CMDLETS: ReadonlySet<CmdletName> = new Set(CMDLET_NAMES);

/** Whether `name` is an allowlisted cmdlet, spelled exactly as CMDLET_NAMES spells it. */
export function isAllowedCmdlet(name: string): name is CmdletName {
  return (ALLOWED_CMDLETS as ReadonlySet<string>).has(name);
}

/** Whether running `cmdlet` changes the organization (and so needs an approval). */
export function isMutating(cmdlet: CmdletName): boolean {
  return CMDLET_SPECS[cmdlet].mutates;
}

const WHITESPACE_CONTROLS = new Set([0x09, 0x0a, 0x0d]);

/**
 * The first C0 control, DEL, C1 control (NEL among them) or Unicode line/paragraph separator in `value`, as
 * `U+000A`; tab, LF and CR pass when `allowWhitespace`. None of these cmdlets' values ever needs one, and a
 * line break would make a rendered command span several lines.
 */
export function findControlCharacter(value: string, allowWhitespace = false): string | undefined {
  for (let i = 0; i < value.length; i += 1) {
    const code = value.charCodeAt(i);
    const control = code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;
    if (control && !(allowWhitespace && WHITESPACE_CONTROLS.has(code))) {
      return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
    }
  }
  return undefined;
}

// With the u flag a surrogate class only matches unpaired halves, which cannot be encoded for the shell.
const LONE_SURROGATE = /[\ud800-\udfff]/u;
const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;

/** `value` made safe to quote in a chat message: control characters escaped, long input cut short. */
function printable(value: string): string {
  const escaped = JSON.stringify(value).slice(1, -1);
  return escaped.length > 80 ? `${escaped.slice(0, 77)}...` : escaped;
}

const text = z
  .string({ error: 'must be text' })
  .max(MAX_VALUE_LENGTH, { error: `is longer than ${MAX_VALUE_LENGTH} characters` })
  .refine((value) => findControlCharacter(value) === undefined, {
    error: (issue) =>
      `contains a control or line-break character (${findControlCharacter(String(issue.input))}), which these values never need`,
  })
  .refine((value) => !LONE_SURROGATE.test(value), { error: 'contains an unpaired UTF-16 surrogate' });

function isCalendarDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => Number(part ?? 0));
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return (
    month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour < 24 && minute < 60 && second < 60
  );
}

const VALUE_SCHEMAS: Readonly<Record<ParamKind, z.ZodType<ParamValue>>> = {
  string: text,
  bool: z.boolean({ error: 'must be $true or $false' }),
  switch: z.boolean({ error: 'is a switch and must be true or false' }),
  int: z
    .number({ error: 'must be a whole number' })
    .refine((value) => Number.isSafeInteger(value) && value >= 0, {
      error: 'must be a non-negative whole number',
    }),
  datetime: z
    .string({ error: 'must be an ISO-8601 date' })
    .refine(isCalendarDate, { error: 'must be an ISO-8601 date such as 2025-01-31T00:00:00Z' }),
  strings: z
    .array(text, { error: 'must be a list of text values' })
    .max(MAX_LIST_ITEMS, { error: `has more than ${MAX_LIST_ITEMS} items` }),
};

const SHAPE = z.strictObject({
  cmdlet: z.string(),
  params: z.record(z.string(), z.unknown()),
});

function checkValue(cmdlet: CmdletName, name: string, spec: ParamSpec, value: unknown): ParamValue {
  const result = VALUE_SCHEMAS[spec.kind].safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` (item ${String(issue.path[0])})` : '';
    throw new CodedError(
      'BAD_VALUE',
      `${cmdlet} -${name}${where} ${issue?.message ?? 'has an invalid value'}.`,
    );
  }
  const checked = Array.isArray(result.data) ? [...result.data] : result.data;
  if (spec.values) checkAllowedValues(cmdlet, name, spec.values, checked);
  const empty = emptyMandatoryValue(name, spec, checked);
  if (empty) throw new CodedError('BAD_VALUE', `${cmdlet}: ${empty.message}`);
  return checked;
}

/** PowerShell's refusal of an empty value for a mandatory parameter: its error id's middle part and its words. */
export interface EmptyValueRefusal {
  readonly reason: 'EmptyStringNotAllowed' | 'EmptyArrayNotAllowed';
  readonly message: string;
}

/**
 * How PowerShell refuses an empty string (or list, or list item) for a mandatory parameter, or undefined. A
 * parameter restricted to a few values has its ValidateSet answer first, as in PowerShell.
 */
export function emptyMandatoryValue(
  name: string,
  spec: ParamSpec,
  value: ParamValue,
): EmptyValueRefusal | undefined {
  if (!spec.required || spec.values) return undefined;
  const cannot = `Cannot bind argument to parameter '${name}' because it is an empty`;
  if (Array.isArray(value) && value.length === 0) {
    return { reason: 'EmptyArrayNotAllowed', message: `${cannot} array.` };
  }
  const items: readonly unknown[] = Array.isArray(value) ? value : [value];
  if (items.includes('')) return { reason: 'EmptyStringNotAllowed', message: `${cannot} string.` };
  return undefined;
}

/** A parameter restricted to a few values (ValidateSet-like, case-insensitive) takes nothing else. */
function checkAllowedValues(
  cmdlet: CmdletName,
  name: string,
  allowed: readonly string[],
  value: ParamValue,
): void {
  const items = Array.isArray(value) ? value : [value];
  const wanted = new Set(allowed.map((item) => item.toLowerCase()));
  const bad = items.find((item) => typeof item !== 'string' || !wanted.has(item.toLowerCase()));
  if (bad === undefined) return;
  const list = allowed.map((item) => `'${item}'`).join(', ');
  throw new CodedError(
    'BAD_VALUE',
    `${cmdlet} -${name} accepts only ${list} here, not '${printable(String(bad))}'.`,
  );
}

function checkCmdlet(name: string): CmdletName {
  if (isAllowedCmdlet(name)) return name;
  const sameLetters = CMDLET_NAMES.find((known) => known.toLowerCase() === name.toLowerCase());
  const hint = sameLetters ? `; did you mean ${sameLetters}?` : '.';
  throw new CodedError('UNKNOWN_CMDLET', `Cmdlet '${printable(name)}' is not in the allowlist${hint}`);
}

function checkParameterSets(cmdlet: CmdletName, given: Readonly<Record<string, ParamValue>>): void {
  const spec = CMDLET_SPECS[cmdlet];
  for (const [name, param] of Object.entries(spec.params)) {
    if (param.required && !Object.hasOwn(given, name)) {
      throw new CodedError('MISSING_PARAMETER', `${cmdlet} needs -${name}.`);
    }
  }
  checkOneParameterSet(cmdlet, given);
  if (!spec.exactlyOneOf) return;
  const chosen = spec.exactlyOneOf.filter((name) => Object.hasOwn(given, name));
  const options = spec.exactlyOneOf.map((name) => `-${name}`).join(' or ');
  if (chosen.length === 0) {
    throw new CodedError('MISSING_PARAMETER', `${cmdlet} needs ${options}.`);
  }
  if (chosen.length > 1) {
    throw new CodedError('CONFLICTING_PARAMETERS', `${cmdlet} takes only one of ${options}.`);
  }
}

/** The parameters given must all belong to one of the reference's parameter sets. */
function checkOneParameterSet(cmdlet: CmdletName, given: Readonly<Record<string, ParamValue>>): void {
  const sets = CMDLET_SPECS[cmdlet].parameterSets;
  if (!sets || fitsOneParameterSet(cmdlet, Object.keys(given))) return;
  const inSomeSet = new Set(Object.values(sets).flat());
  const specific = Object.keys(given).filter((name) => inSomeSet.has(name));
  const owners = specific.map(
    (name) =>
      `-${name} (${Object.entries(sets)
        .filter(([, members]) => members.includes(name))
        .map(([set]) => set)
        .join(', ')})`,
  );
  throw new CodedError(
    'CONFLICTING_PARAMETERS',
    `${cmdlet} can't take ${owners.join(' and ')} together: they belong to different parameter sets.`,
  );
}

/** Whether the parameters `names` all belong to one of `cmdlet`'s parameter sets (or it has none), as PowerShell binds them. */
export function fitsOneParameterSet(cmdlet: CmdletName, names: readonly string[]): boolean {
  const sets = CMDLET_SPECS[cmdlet].parameterSets;
  if (!sets) return true;
  const inSomeSet = new Set(Object.values(sets).flat());
  const specific = names.filter((name) => inSomeSet.has(name));
  return Object.values(sets).some((members) => specific.every((name) => members.includes(name)));
}

/**
 * Checks that `input` is a command hybridops may run and returns a fresh copy of it, parameters in the given order.
 * Throws CodedError (a validation code) otherwise.
 */
export function validateCommand(input: unknown): EmsCommand {
  const shape = SHAPE.safeParse(input);
  if (!shape.success) {
    throw new CodedError(
      'BAD_SHAPE',
      'A command must be an object with exactly a string `cmdlet` and a `params` object.',
    );
  }
  const cmdlet = checkCmdlet(shape.data.cmdlet);
  const params: Record<string, ParamValue> = {};
  // Read the caller's own keys rather than zod's copy, which silently drops a `__proto__` key.
  const given = (input as { params: Record<string, unknown> }).params;
  for (const [name, value] of Object.entries(given)) {
    const spec = paramSpec(cmdlet, name);
    if (!spec) {
      const sameLetters = canonicalParamName(cmdlet, name);
      const hint = sameLetters ? `; did you mean -${sameLetters}?` : '.';
      throw new CodedError('UNKNOWN_PARAMETER', `${cmdlet} has no parameter -${printable(name)}${hint}`);
    }
    params[name] = checkValue(cmdlet, name, spec, value);
  }
  checkParameterSets(cmdlet, params);
  return { cmdlet, params };
}
