/** The PowerShell grammar (tree-sitter-powershell), loaded once, and a structural view of one command line. */
import path from 'node:path';
import type Parser from 'tree-sitter';

export type SyntaxNode = Parser.SyntaxNode;

let cachedParser: Parser | undefined;

// A key on tree-sitter's native binding, which Node loads once per process.
const SHARED_WRAPPER = Symbol.for('hybridops.exchange.tree-sitter');

function treeSitter(loadBinding: (dir: string) => object): typeof Parser {
  // Jest gives each test file a fresh module registry but one process-wide copy of a native addon. Loading
  // tree-sitter's JS wrapper a second time wraps the already-wrapped native prototypes, and `tree.rootNode`
  // comes back undefined; so the first wrapper is kept on the shared binding and reused.
  const treeSitterRoot = path.dirname(require.resolve('tree-sitter/package.json'));
  const native = loadBinding(treeSitterRoot) as Record<symbol, unknown>;
  const shared = native[SHARED_WRAPPER] as typeof Parser | undefined;
  if (shared) return shared;
  const wrapper = require('tree-sitter') as typeof Parser;
  native[SHARED_WRAPPER] = wrapper;
  return wrapper;
}

function loadParser(): Parser {
  if (cachedParser) return cachedParser;
  const loadBinding = require('node-gyp-build') as (dir: string) => Parser.Language;
  // The package's own entry point is an ES module with top-level await, which CommonJS (and so jest) cannot
  // require; its prebuilt native binding loads fine through node-gyp-build from the package root.
  const root = path.dirname(require.resolve('tree-sitter-powershell/package.json'));
  const language = loadBinding(root);
  language.nodeTypeInfo = require(`${root}/src/node-types.json`) as Parser.Language['nodeTypeInfo'];
  const ParserClass = treeSitter(loadBinding);
  const parser = new ParserClass();
  parser.setLanguage(language);
  cachedParser = parser;
  return parser;
}

/** The tree-sitter syntax tree of `text`. Node offsets are UTF-16 indexes into `text`. */
export function parsePowerShell(text: string): Parser.Tree {
  return loadParser().parse(text);
}

/** `node` and everything under it, in document order. */
export function descendants(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [node];
  for (const child of node.children) out.push(...descendants(child));
  return out;
}

// The characters PowerShell treats as single quotes (CharExtensions.IsSingleQuote). The grammar knows only the
// ASCII one, so a literal is decoded here the way PowerShell's tokenizer would read it.
const SINGLE_QUOTES = new Set(["'", '\u2018', '\u2019', '\u201a', '\u201b']);

/**
 * The value of a verbatim string literal as PowerShell reads it: two quote characters in a row stand for the
 * second one, a lone one ends the string. Undefined when PowerShell would end the string before the grammar
 * does (a typographic quote inside) or the text is not one complete literal.
 */
export function decodeVerbatim(raw: string): string | undefined {
  if (raw[0] !== "'") return undefined;
  let value = '';
  let i = 1;
  while (i < raw.length) {
    const char = raw[i] as string;
    if (SINGLE_QUOTES.has(char)) {
      const next = raw[i + 1];
      if (next !== undefined && SINGLE_QUOTES.has(next)) {
        value += next;
        i += 2;
        continue;
      }
      return i === raw.length - 1 ? value : undefined;
    }
    value += char;
    i += 1;
  }
  return undefined;
}

/**
 * The value of a double-quoted string that expands nothing: no `$`, no backtick, no typographic double quotes
 * (which PowerShell also treats as quotes); `""` stands for `"`. Undefined for anything else.
 */
export function decodePlainDoubleQuoted(raw: string): string | undefined {
  if (raw.length < 2 || raw[0] !== '"' || raw[raw.length - 1] !== '"') return undefined;
  const inner = raw.slice(1, -1);
  if (/[$`\u201c\u201d\u201e]/.test(inner)) return undefined;
  if (/"/.test(inner.replaceAll('""', ''))) return undefined;
  return inner.replaceAll('""', '"');
}

/** How one argument of a command line was read. */
export type ArgumentKind =
  | 'parameter'
  | 'verbatim-string'
  | 'expandable-string'
  | 'integer'
  | 'boolean'
  | 'bare-word'
  | 'empty-array'
  | 'other';

/** One argument (or one item of a comma list) of the first command on a line. */
export interface InspectedArgument {
  readonly kind: ArgumentKind;
  /** The node type the grammar gave it, e.g. `verbatim_string_characters`. */
  readonly nodeType: string;
  /** Its source text. */
  readonly text: string;
}

/** A structural view of a command line, for checking that rendered text is exactly what it should be. */
export interface InspectedCommandLine {
  /** True when the grammar found a syntax error or had to invent a missing token. */
  readonly hasErrors: boolean;
  readonly statementCount: number;
  /** Every command in the tree, including ones nested in subexpressions or script blocks. */
  readonly commandCount: number;
  readonly commandName: string | null;
  readonly arguments: readonly InspectedArgument[];
  /** Every node type that occurs in the tree, sorted. */
  readonly nodeTypes: readonly string[];
}

/** How the grammar's value node `node` (the child of a unary_expression) is classified. */
export function classifyValue(node: SyntaxNode): ArgumentKind {
  switch (node.type) {
    case 'string_literal': {
      const inner = node.namedChildren[0]?.type;
      if (inner === 'verbatim_string_characters') return 'verbatim-string';
      return inner === 'expandable_string_literal' ? 'expandable-string' : 'other';
    }
    case 'integer_literal':
      return 'integer';
    case 'variable':
      return /^\$(true|false)$/i.test(node.text) ? 'boolean' : 'other';
    case 'array_expression':
      return node.namedChildCount === 0 ? 'empty-array' : 'other';
    default:
      return 'other';
  }
}

function inspectElement(node: SyntaxNode): InspectedArgument[] {
  if (node.type === 'command_parameter') return [{ kind: 'parameter', nodeType: node.type, text: node.text }];
  if (node.type === 'generic_token') return [{ kind: 'bare-word', nodeType: node.type, text: node.text }];
  if (node.type !== 'array_literal_expression') {
    return [{ kind: 'other', nodeType: node.type, text: node.text }];
  }
  return node.namedChildren.map((item) => {
    const value =
      item.type === 'unary_expression' && item.namedChildCount === 1 ? item.namedChildren[0] : undefined;
    if (!value) return { kind: 'other', nodeType: item.type, text: item.text };
    const leaf = value.type === 'string_literal' ? (value.namedChildren[0] ?? value) : value;
    return { kind: classifyValue(value), nodeType: leaf.type, text: value.text };
  });
}

/** Parses `text` and describes it: statements, commands, and the first command's name and arguments. */
export function inspectCommandLine(text: string): InspectedCommandLine {
  const root = parsePowerShell(text).rootNode;
  const nodes = descendants(root);
  const statements = root.namedChildren.find((child) => child.type === 'statement_list');
  const commands = nodes.filter((node) => node.type === 'command');
  const first = commands[0];
  const elements = first?.childForFieldName('command_elements');
  return {
    hasErrors: root.hasError || nodes.some((node) => node.isMissing || node.type === 'ERROR'),
    statementCount: statements?.namedChildCount ?? 0,
    commandCount: commands.length,
    commandName: first?.childForFieldName('command_name')?.text ?? null,
    arguments: (elements?.namedChildren ?? [])
      .filter((node) => node.type !== 'command_argument_sep')
      .flatMap(inspectElement),
    nodeTypes: [...new Set(nodes.filter((node) => node.isNamed).map((node) => node.type))].sort(),
  };
}
