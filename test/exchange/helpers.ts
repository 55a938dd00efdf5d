import type { InspectedCommandLine } from '../../src/exchange/parse';

const QUOTES = "'\u2018\u2019\u201a\u201b";

/**
 * Decodes a verbatim literal the way PowerShell's tokenizer does, independently of the code under test: strip
 * the outer quotes, and read a pair of quote characters as the second one. A lone quote character before the
 * end means PowerShell would close the string early, so the decode fails.
 */
export function decodeLikePowerShell(raw: string): string {
  expect(raw.startsWith("'") && raw.endsWith("'")).toBe(true);
  const inner = raw.slice(1, -1);
  let out = '';
  for (let i = 0; i < inner.length; i += 1) {
    const char = inner[i] as string;
    if (QUOTES.includes(char)) {
      const next = inner[i + 1];
      if (next === undefined || !QUOTES.includes(next)) throw new Error(`lone quote at ${i} in ${raw}`);
      out += next;
      i += 1;
    } else {
      out += char;
    }
  }
  return out;
}

/** Node types that would mean the line does more than pass literals to one cmdlet. */
export const DANGEROUS_NODE_TYPES = [
  'sub_expression',
  'script_block',
  'script_block_expression',
  'expandable_string_literal',
  'expandable_here_string_literal',
  'pipeline_chain_tail',
  'redirection',
  'comment',
  'parenthesized_expression',
  'array_expression',
  'hash_literal_expression',
  'member_access',
  'invokation_expression',
  'stop_parsing',
  'verbatim_command_argument',
  'command_invokation_operator',
  'assignment_expression',
  'empty_statement',
];

/** Asserts the line is one error-free command named `cmdlet`. */
export function expectOneCommand(line: InspectedCommandLine, cmdlet: string): void {
  expect(line.hasErrors).toBe(false);
  expect(line.statementCount).toBe(1);
  expect(line.commandCount).toBe(1);
  expect(line.commandName).toBe(cmdlet);
}
