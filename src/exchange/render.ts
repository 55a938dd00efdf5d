/** Rendering of command objects as the Exchange Management Shell line an admin would paste. */

import type { CmdletName, EmsCommand, ParamValue } from '../core/ems';
import { CodedError } from '../core/errors';
import { type ParamKind, paramSpec } from './cmdlets';
import { isAllowedCmdlet, validateCommand } from './validate';

// PowerShell's tokenizer treats all of these as single quotes, both to close a verbatim string and, doubled,
// as an escaped quote (CharExtensions.IsSingleQuote); doubling only ASCII ' would let a typographic quote
// end the literal early.
const SINGLE_QUOTE_CHARS = /['\u2018\u2019\u201a\u201b]/g;

/**
 * `value` as a PowerShell verbatim string literal. Inside single quotes nothing expands ($, backtick, double
 * quotes, newlines are all plain characters); only single-quote characters are special, and each is doubled.
 */
export function quoteLiteral(value: string): string {
  return `'${value.replace(SINGLE_QUOTE_CHARS, (quote) => quote + quote)}'`;
}

function badValue(cmdlet: CmdletName, name: string, what: string): CodedError {
  return new CodedError('BAD_VALUE', `${cmdlet} -${name} ${what}.`);
}

function formatParam(cmdlet: CmdletName, name: string, kind: ParamKind, value: ParamValue): string {
  switch (kind) {
    case 'switch':
      if (typeof value !== 'boolean') throw badValue(cmdlet, name, 'is a switch and must be true or false');
      // A switch takes its value only in the colon form; `-Confirm $false` would pass $false positionally.
      return value ? `-${name}` : `-${name}:$false`;
    case 'bool':
      if (typeof value !== 'boolean') throw badValue(cmdlet, name, 'must be $true or $false');
      return `-${name} ${value ? '$true' : '$false'}`;
    case 'int':
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
        throw badValue(cmdlet, name, 'must be a non-negative whole number');
      }
      return `-${name} ${value.toString(10)}`;
    case 'string':
    case 'datetime':
      if (typeof value !== 'string') throw badValue(cmdlet, name, 'must be text');
      return `-${name} ${quoteLiteral(value)}`;
    case 'strings': {
      if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
        throw badValue(cmdlet, name, 'must be a list of text values');
      }
      // An empty list must still be passed explicitly: `-DomainName @()` keeps server names off a certificate.
      return `-${name} ${value.length === 0 ? '@()' : value.map(quoteLiteral).join(',')}`;
    }
  }
}

/**
 * Formats a command without checking its string contents: any string, even one with line breaks, comes out as
 * a single literal. It still refuses unknown cmdlets or parameters and values of the wrong type.
 * Use renderCommand for anything shown to or run by an admin.
 */
export function formatCommand(cmd: EmsCommand): string {
  if (!isAllowedCmdlet(cmd.cmdlet)) {
    throw new CodedError('UNKNOWN_CMDLET', 'The cmdlet is not in the allowlist.');
  }
  const parts: string[] = [cmd.cmdlet];
  for (const [name, value] of Object.entries(cmd.params)) {
    const spec = paramSpec(cmd.cmdlet, name);
    if (!spec) {
      throw new CodedError('UNKNOWN_PARAMETER', `${cmd.cmdlet} has no such parameter.`);
    }
    parts.push(formatParam(cmd.cmdlet, name, spec.kind, value));
  }
  return parts.join(' ');
}

/** The exact PowerShell line for a valid command, parameters in insertion order. Throws CodedError (a validation code). */
export function renderCommand(cmd: EmsCommand): string {
  return formatCommand(validateCommand(cmd));
}

/** Several commands, one line each, in order. */
export function renderCommands(cmds: readonly EmsCommand[]): string {
  return cmds.map(renderCommand).join('\n');
}

/** A text parameter filled at run time from an earlier command's output, shown as `$newCertificate.Thumbprint`. */
export interface Expression {
  readonly expression: string;
}

const EXPRESSION = /^\$[a-z][A-Za-z0-9]*\.[A-Za-z][A-Za-z0-9]*$/;
const PLACEHOLDER: Partial<Record<ParamKind, ParamValue>> = {
  string: 'x',
  datetime: '2000-01-01T00:00:00Z',
};

function isExpression(value: ParamValue | Expression): value is Expression {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'expression' in value;
}

/**
 * The PowerShell line for a command whose text parameters may be expressions (`$name.Field`). The literals are
 * validated as renderCommand validates them; an expression is allowed only where any text is, and is checked to
 * be a bare variable's property, so it cannot carry script.
 */
export function renderCommandWithExpressions(
  cmdlet: CmdletName,
  params: Readonly<Record<string, ParamValue | Expression>>,
): string {
  const stand: Record<string, ParamValue> = {};
  for (const [name, value] of Object.entries(params)) {
    if (!isExpression(value)) {
      stand[name] = value;
      continue;
    }
    const spec = paramSpec(cmdlet, name);
    const placeholder = spec && !spec.values ? PLACEHOLDER[spec.kind] : undefined;
    if (placeholder === undefined || !EXPRESSION.test(value.expression)) {
      throw new CodedError('BAD_VALUE', `${cmdlet} -${name} can't take a value filled at run time.`);
    }
    stand[name] = placeholder;
  }
  const checked = validateCommand({ cmdlet, params: stand });
  const parts: string[] = [checked.cmdlet];
  for (const [name, value] of Object.entries(params)) {
    const spec = paramSpec(checked.cmdlet, name);
    if (!spec) throw new CodedError('UNKNOWN_PARAMETER', `${cmdlet} has no such parameter.`);
    parts.push(
      isExpression(value)
        ? `-${name} ${value.expression}`
        : formatParam(checked.cmdlet, name, spec.kind, checked.params[name] as ParamValue),
    );
  }
  return parts.join(' ');
}
