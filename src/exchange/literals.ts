/** Literal arguments of a PowerShell command line: reading them from the grammar's nodes and binding them to kinds. */

import type { CmdletName, ParamValue } from '../core/ems';
import { CodedError, type ParseErrorCode } from '../core/errors';
import type { ParamKind } from './cmdlets';
import { classifyValue, decodePlainDoubleQuoted, decodeVerbatim, descendants, type SyntaxNode } from './tree';

/** A literal argument as written, before it is matched to its parameter's kind. */
export type Literal =
  | { readonly type: 'text'; readonly value: string }
  | { readonly type: 'integer'; readonly value: number; readonly text: string }
  | { readonly type: 'boolean'; readonly value: boolean }
  | { readonly type: 'list'; readonly items: readonly Literal[] };

/** A parse refusal, for throwing from expressions. */
export const refuse = (code: ParseErrorCode, message: string): CodedError<ParseErrorCode> =>
  new CodedError(code, message);

/** Source text cut short for a message. */
export function excerpt(text: string): string {
  const oneLine = JSON.stringify(text).slice(1, -1);
  return oneLine.length > 60 ? `${oneLine.slice(0, 57)}...` : oneLine;
}

// Characters a bare word may hold so that PowerShell and the grammar read it the same way: no quotes, $, `,
// braces, redirection or comment characters, and nothing beyond ASCII (PowerShell treats some Unicode dashes,
// quotes and spaces as syntax).
const BARE_WORD = /^[A-Za-z0-9._\\/*?~][A-Za-z0-9._\\/*?~@:+=%-]*$/;
// PowerShell reads a bare argument that is wholly a number (hex, exponent, type suffix, kb/mb multiplier) as a
// number, not text; this over-approximates that so such words are refused rather than silently converted.
const NUMBER_LIKE =
  /^[+-]?(?:0x[0-9a-f]+|0b[01]+|(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)[a-z]{0,2}(?:kb|mb|gb|tb|pb)?$/i;
const PLAIN_INTEGER = /^(?:0|[1-9]\d{0,15})$/;

/** The first thing in `node` that is not a literal, described for the admin. */
export function forbidden(node: SyntaxNode): CodedError<ParseErrorCode> {
  const nodes = descendants(node);
  const find = (type: string) => nodes.find((n) => n.type === type);
  const sub = find('sub_expression');
  if (sub) return refuse('FORBIDDEN_SYNTAX', `Subexpressions are not allowed: ${excerpt(sub.text)}`);
  const block = find('script_block_expression') ?? find('script_block');
  if (block) return refuse('FORBIDDEN_SYNTAX', `Script blocks are not allowed: ${excerpt(block.text)}`);
  const variable = nodes.find((n) => n.type === 'variable' && !/^\$(true|false)$/i.test(n.text));
  if (variable?.text.startsWith('@')) {
    return refuse('FORBIDDEN_SYNTAX', `Splatting is not allowed: ${excerpt(variable.text)}`);
  }
  if (variable) return refuse('FORBIDDEN_SYNTAX', `Variables are not allowed: ${excerpt(variable.text)}`);
  const expandable = find('expandable_string_literal') ?? find('expandable_here_string_literal');
  if (expandable) {
    return refuse(
      'FORBIDDEN_SYNTAX',
      `Double-quoted strings with $, backtick or typographic quotes are not allowed; use single quotes: ${excerpt(expandable.text)}`,
    );
  }
  if (find('verbatim_here_string_characters')) {
    return refuse('FORBIDDEN_SYNTAX', 'Here-strings are not allowed.');
  }
  if (find('parenthesized_expression')) {
    return refuse('FORBIDDEN_SYNTAX', `Parenthesized expressions are not allowed: ${excerpt(node.text)}`);
  }
  return refuse('FORBIDDEN_SYNTAX', `Only literal values are allowed; found ${excerpt(node.text)}`);
}

function readBareWord(text: string): Literal {
  if (/['"\u2018-\u201f]/.test(text)) {
    return fail(
      'FORBIDDEN_SYNTAX',
      `Quote characters inside an unquoted value are not allowed: ${excerpt(text)}`,
    );
  }
  if (/[$`]/.test(text)) {
    return fail(
      'FORBIDDEN_SYNTAX',
      `An unquoted value with $ or backtick would be expanded: ${excerpt(text)}`,
    );
  }
  if (NUMBER_LIKE.test(text)) {
    return fail('BAD_ARGUMENT', `${excerpt(text)} would be read as a number; quote it if it is text.`);
  }
  if (!BARE_WORD.test(text)) {
    return fail(
      'BAD_ARGUMENT',
      `The unquoted value ${excerpt(text)} needs quoting; wrap it in single quotes.`,
    );
  }
  return { type: 'text', value: text };
}

/** Throws a parse refusal; typed `never` so it narrows like a throw. */
export function fail(code: ParseErrorCode, message: string): never {
  throw refuse(code, message);
}

function readValue(node: SyntaxNode): Literal {
  const kind = classifyValue(node);
  if (kind === 'verbatim-string') {
    const value = decodeVerbatim(node.text);
    if (value !== undefined) return { type: 'text', value };
    return fail('FORBIDDEN_SYNTAX', `A typographic quote ends this string early: ${excerpt(node.text)}`);
  }
  if (kind === 'expandable-string') {
    const value = decodePlainDoubleQuoted(node.text);
    if (value !== undefined) return { type: 'text', value };
  }
  if (kind === 'integer') {
    if (PLAIN_INTEGER.test(node.text)) return { type: 'integer', value: Number(node.text), text: node.text };
    return fail('BAD_ARGUMENT', `Only plain decimal integers are allowed; found ${excerpt(node.text)}`);
  }
  if (kind === 'boolean') return { type: 'boolean', value: node.text.toLowerCase() === '$true' };
  if (kind === 'empty-array') return { type: 'list', items: [] };
  if (node.type === 'real_literal') {
    return fail('BAD_ARGUMENT', `Only whole numbers are allowed; found ${node.text}`);
  }
  throw forbidden(node);
}

/** The literal an argument node holds: a bare word, one value, or a comma list of values. */
export function readArgument(node: SyntaxNode): Literal {
  if (node.type === 'generic_token') return readBareWord(node.text);
  if (node.type === 'redirection') {
    return fail('FORBIDDEN_SYNTAX', `Redirections are not allowed: ${excerpt(node.text)}`);
  }
  if (node.type === 'stop_parsing') {
    return fail('FORBIDDEN_SYNTAX', 'The stop-parsing token --% is not allowed.');
  }
  if (node.type !== 'array_literal_expression') throw forbidden(node);
  const items = node.namedChildren.map((item) => {
    const only =
      item.type === 'unary_expression' && item.namedChildCount === 1 ? item.namedChildren[0] : undefined;
    if (!only) throw forbidden(item);
    return readValue(only);
  });
  if (items.length === 1) return items[0] as Literal;
  if (items.some((item) => item.type === 'list')) {
    return fail('BAD_ARGUMENT', 'Nested lists are not allowed.');
  }
  return { type: 'list', items };
}

function toText(literal: Literal): string | undefined {
  if (literal.type === 'text') return literal.value;
  return literal.type === 'integer' ? literal.text : undefined;
}

/** The literal as a value of `kind`, the way PowerShell would bind it to that parameter. */
export function coerce(cmdlet: CmdletName, name: string, kind: ParamKind, literal: Literal): ParamValue {
  const where = `${cmdlet} -${name}`;
  switch (kind) {
    case 'bool':
    case 'switch':
      if (literal.type === 'boolean') return literal.value;
      return fail('BAD_ARGUMENT', `${where} takes $true or $false.`);
    case 'int':
      if (literal.type === 'integer') return literal.value;
      return fail('BAD_ARGUMENT', `${where} takes a whole number.`);
    case 'strings': {
      const items = literal.type === 'list' ? literal.items : [literal];
      const texts = items.map(toText);
      if (texts.every((text) => text !== undefined)) return texts as string[];
      return fail('BAD_ARGUMENT', `${where} takes text values.`);
    }
    case 'string':
    case 'datetime': {
      const text = toText(literal);
      if (text !== undefined && !(kind === 'datetime' && literal.type === 'integer')) return text;
      return fail('BAD_ARGUMENT', `${where} takes one text value.`);
    }
  }
}
