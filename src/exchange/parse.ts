/** Parsing of one pasted EMS command line into a validated command, refusing anything but literal arguments. */

import { CMDLET_NAMES, type CmdletName, type EmsCommand, type ParamValue } from '../core/ems';
import type { CodedError, ParseErrorCode } from '../core/errors';
import { CMDLET_SPECS, canonicalParamName } from './cmdlets';
import { coerce, excerpt, fail, forbidden, readArgument, refuse } from './literals';
import { descendants, parsePowerShell, type SyntaxNode } from './tree';
import { findControlCharacter, validateCommand } from './validate';

/** The longest command line accepted; real ones are a few hundred characters. */
export const MAX_COMMAND_LINE_LENGTH = 16 * 1024;

/** The single command of a parsed line, or a refusal saying what else the line holds. */
function singleCommand(root: SyntaxNode): SyntaxNode {
  const comment = descendants(root).find((node) => node.type === 'comment');
  if (comment) return fail('FORBIDDEN_SYNTAX', `Comments are not allowed: ${excerpt(comment.text)}`);
  const statements = root.namedChildren.find((node) => node.type === 'statement_list')?.namedChildren ?? [];
  if (statements.length === 0) return fail('EMPTY', 'The command line holds no command.');
  if (statements.some((node) => node.type === 'empty_statement')) {
    return fail('NOT_ONE_COMMAND', "Only one command is allowed; found ';'.");
  }
  if (statements.length > 1) {
    return fail('NOT_ONE_COMMAND', 'Only one command is allowed; found a second statement.');
  }
  const statement = statements[0] as SyntaxNode;
  if (statement.type !== 'pipeline') {
    const what = statement.type.replaceAll('_', ' ');
    return fail(
      'NOT_ONE_COMMAND',
      `Only a plain command is allowed; found ${/^[aeiou]/.test(what) ? 'an' : 'a'} ${what}.`,
    );
  }
  const [chain, ...rest] = statement.namedChildren;
  if (chain?.type === 'assignment_expression') {
    return fail('FORBIDDEN_SYNTAX', 'Assignments are not allowed.');
  }
  if (rest.length > 0) {
    const operator =
      statement.namedChildren.find((node) => node.type === 'pipeline_chain_tail')?.text ?? '&&';
    return fail('NOT_ONE_COMMAND', `Only one command is allowed; found '${operator}'.`);
  }
  const parts = chain?.namedChildren ?? [];
  if (parts.filter((node) => node.type === 'command').length > 1) {
    return fail('NOT_ONE_COMMAND', 'Only one command is allowed; found a pipeline.');
  }
  const command = parts[0];
  if (command?.type !== 'command') {
    return fail('NOT_ONE_COMMAND', 'Only a command is allowed; found an expression.');
  }
  const extra = parts[1];
  if (extra?.type === 'redirections') return fail('FORBIDDEN_SYNTAX', 'Redirections are not allowed.');
  if (extra?.type === 'verbatim_command_argument') {
    return fail('FORBIDDEN_SYNTAX', 'The stop-parsing token --% is not allowed.');
  }
  if (extra) throw forbidden(extra);
  return command;
}

function cmdletOf(command: SyntaxNode): CmdletName {
  if (command.namedChildren.some((node) => node.type === 'command_invokation_operator')) {
    return fail('FORBIDDEN_SYNTAX', 'The call operators & and . are not allowed.');
  }
  const written = command.childForFieldName('command_name')?.text ?? '';
  const known = CMDLET_NAMES.find((name) => name.toLowerCase() === written.toLowerCase());
  if (!known) return fail('UNKNOWN_CMDLET', `Cmdlet '${excerpt(written)}' is not in the allowlist.`);
  return known;
}

/** Refuses anything but spaces between arguments (line continuations, comments, odd Unicode spacing). */
function checkGap(source: string, from: number, to: number, colonAllowed: boolean): void {
  const gap = source.slice(from, to);
  if (/^[ \t]+$/.test(gap) || (colonAllowed && /^:[ \t]*$/.test(gap))) return;
  const at = excerpt(source.slice(to, to + 20));
  if (gap === '') fail('FORBIDDEN_SYNTAX', `Arguments must be separated by a space before ${at}`);
  fail('FORBIDDEN_SYNTAX', `Only spaces may separate arguments; found '${excerpt(gap)}' before ${at}`);
}

function readParamName(cmdlet: CmdletName, written: string): string {
  const bare = written.slice(1);
  const known = /^-[A-Za-z]+$/.test(written) ? canonicalParamName(cmdlet, bare) : undefined;
  if (known) return known;
  const prefixOf = Object.keys(CMDLET_SPECS[cmdlet].params).find((name) =>
    name.toLowerCase().startsWith(bare.toLowerCase()),
  );
  const hint = prefixOf && bare.length > 0 ? `; write parameter names in full, e.g. -${prefixOf}.` : '.';
  return fail('UNKNOWN_PARAMETER', `${cmdlet} has no parameter ${excerpt(written)}${hint}`);
}

/** The named (and at most one positional) parameters of `command`, in the order written. */
function readParams(cmdlet: CmdletName, command: SyntaxNode, source: string): Record<string, ParamValue> {
  const spec = CMDLET_SPECS[cmdlet];
  const elements = (command.childForFieldName('command_elements')?.namedChildren ?? []).filter(
    (node) => node.type !== 'command_argument_sep',
  );
  const params: Record<string, ParamValue> = {};
  const set = (name: string, value: ParamValue) => {
    if (Object.hasOwn(params, name)) {
      fail('DUPLICATE_PARAMETER', `${cmdlet} -${name} is given more than once.`);
    }
    params[name] = value;
  };
  let previousEnd = command.childForFieldName('command_name')?.endIndex ?? 0;
  let positionalUsed = false;
  for (let i = 0; i < elements.length; i += 1) {
    const node = elements[i] as SyntaxNode;
    checkGap(source, previousEnd, node.startIndex, false);
    previousEnd = node.endIndex;
    if (node.type !== 'command_parameter') {
      const positional = positionalUsed ? undefined : spec.positional;
      if (!positional) {
        fail(
          'BAD_ARGUMENT',
          `The argument ${excerpt(node.text)} has no parameter name; write it as -Name value.`,
        );
      }
      positionalUsed = true;
      set(
        positional,
        coerce(cmdlet, positional, spec.params[positional]?.kind ?? 'string', readArgument(node)),
      );
      continue;
    }
    const name = readParamName(cmdlet, node.text);
    const kind = spec.params[name]?.kind ?? 'string';
    const next = elements[i + 1];
    const colonForm = source[node.endIndex] === ':';
    if (kind === 'switch' && !colonForm) {
      if (next && /^\$(true|false)$/i.test(next.text)) {
        fail('BAD_ARGUMENT', `A switch takes its value only after a colon, as -${name}:${next.text}.`);
      }
      set(name, true);
      continue;
    }
    if (!next || next.type === 'command_parameter') fail('BAD_ARGUMENT', `${cmdlet} -${name} needs a value.`);
    checkGap(source, node.endIndex, next.startIndex, true);
    set(name, coerce(cmdlet, name, kind, readArgument(next)));
    previousEnd = next.endIndex;
    i += 1;
  }
  return params;
}

/** The first syntax error in the tree, if any. */
function syntaxError(root: SyntaxNode, source: string): CodedError<ParseErrorCode> | undefined {
  if (!root.hasError && !descendants(root).some((node) => node.isMissing)) return undefined;
  const bad = descendants(root).find((node) => node.type === 'ERROR' || node.isMissing) ?? root;
  const near = source.slice(bad.startIndex, bad.startIndex + 30);
  return refuse('SYNTAX', `The command line is not valid PowerShell near '${excerpt(near)}'.`);
}

/**
 * Parses exactly one allowlisted EMS command whose arguments are literals (single-quoted strings, plain
 * double-quoted strings, bare words, whole numbers, $true/$false, `@()`) and returns it validated.
 * Throws CodedError (a parse code) saying what was refused.
 */
export function parseCommandLine(text: string): EmsCommand {
  if (text.length > MAX_COMMAND_LINE_LENGTH) {
    fail('TOO_LONG', `The command line is longer than ${MAX_COMMAND_LINE_LENGTH} characters.`);
  }
  const source = text.trim();
  if (source === '') fail('EMPTY', 'The command line is empty.');
  // NUL ends input for the grammar but not for PowerShell, and no other control character belongs in a command.
  const control = findControlCharacter(source, true);
  if (control) fail('FORBIDDEN_SYNTAX', `Control characters are not allowed in a command line (${control}).`);
  // The grammar does not know line continuations, so say plainly why such a line is refused.
  if (/`\r?\n/.test(source)) {
    fail(
      'FORBIDDEN_SYNTAX',
      'Line continuations (a backtick at the end of a line) are not allowed; use one line.',
    );
  }
  const root = parsePowerShell(source).rootNode;
  const error = syntaxError(root, source);
  if (error) throw error;
  const command = singleCommand(root);
  const cmdlet = cmdletOf(command);
  const params = readParams(cmdlet, command, source);
  // A refusal by validation keeps its code and message.
  return validateCommand({ cmdlet, params });
}

export { type InspectedArgument, type InspectedCommandLine, inspectCommandLine } from './tree';
