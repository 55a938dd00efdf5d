/** Parses a chat command against the command table; anything else gets the closest valid usage. */
import type { Place, Role } from '../access';

export interface CommandSpec {
  readonly name: string;
  /** e.g. `plan <runbook> domain=<d> dc=<fqdn> [tenant=<guid>]` */
  readonly usage: string;
  readonly summary: string;
  readonly role: Role;
  readonly places: readonly Place[];
  readonly positionals: readonly { readonly name: string; readonly required: boolean }[];
  readonly options: readonly { readonly key: string; readonly required: boolean }[];
}

export interface ParsedCommand {
  readonly name: string;
  readonly positionals: readonly string[];
  readonly options: Readonly<Record<string, string>>;
}

export type ParseOutcome =
  | { readonly ok: true; readonly spec: CommandSpec; readonly command: ParsedCommand }
  | { readonly ok: false; readonly problem: string; readonly usage: string; readonly hint?: string };

/**
 * The longest message read as a command: far above any command (a captured token for `inspect` included),
 * and a bound on the work one message can cause.
 */
export const MAX_MESSAGE_CHARS = 16_000;

/**
 * Removes mentions, HTML and non-breaking spaces that Teams leaves in a message's text. Every pattern runs in
 * linear time: none can match across a `<`, so no attempt re-reads text an earlier one already read.
 */
export function normalizeText(raw: string): string {
  return raw
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/<[^<>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/\u00a0/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Edit distance, for "did you mean". */
export function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] ?? 0;
      row[j] = Math.min(current + 1, (row[j - 1] ?? 0) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] ?? 0;
}

/** The spec whose name is nearest to `word`. */
export function closest(word: string, specs: readonly CommandSpec[]): CommandSpec {
  // One distance per command (a sort's comparator would compute each many times over).
  const ranked = specs
    .map((spec) => ({ spec, far: distance(word, spec.name) }))
    .sort((a, b) => a.far - b.far);
  return ranked[0]?.spec as CommandSpec;
}

/** A word from the message as quoted in an answer: never more than 40 characters of it. */
function quoted(word: string): string {
  return `"${word.length > 40 ? `${word.slice(0, 40)}…` : word}"`;
}

/** Parses a message's raw text: an over-long one is refused before any pattern looks at it. */
export function parseMessage(raw: string, specs: readonly CommandSpec[]): ParseOutcome {
  if (raw.length > MAX_MESSAGE_CHARS) {
    const help = specs.find((spec) => spec.name === 'help') ?? (specs[0] as CommandSpec);
    return {
      ok: false,
      problem: `That message is over ${MAX_MESSAGE_CHARS.toLocaleString('en-US')} characters, too long to be a command; I did not read it.`,
      usage: help.usage,
    };
  }
  return parseCommand(normalizeText(raw), specs);
}

/** Parses `text` (already normalized) against the table. */
export function parseCommand(text: string, specs: readonly CommandSpec[]): ParseOutcome {
  const tokens = text.split(' ').filter(Boolean);
  const word = (tokens.shift() ?? '').toLowerCase();
  const help = specs.find((spec) => spec.name === 'help') ?? (specs[0] as CommandSpec);
  if (!word)
    return {
      ok: false,
      problem: 'The message was empty.',
      usage: help.usage,
      hint: 'Type help for every command.',
    };
  const spec = specs.find((candidate) => candidate.name === word);
  if (!spec) {
    const near = closest(word, specs);
    return {
      ok: false,
      problem: `${quoted(word)} is not a command. Did you mean ${near.name}?`,
      usage: near.usage,
      hint: 'Type help for every command.',
    };
  }
  if (spec.name === 'inspect') return parseInspect(spec, tokens);
  const positionals: string[] = [];
  const options: Record<string, string> = {};
  for (const token of tokens) {
    const eq = token.indexOf('=');
    if (eq > 0) {
      const key = token.slice(0, eq).toLowerCase();
      if (!spec.options.some((option) => option.key === key)) {
        return { ok: false, problem: `${spec.name} takes no option ${quoted(key)}.`, usage: spec.usage };
      }
      if (key in options) return { ok: false, problem: `${quoted(key)} is given twice.`, usage: spec.usage };
      options[key] = token.slice(eq + 1);
    } else {
      positionals.push(token);
    }
  }
  if (positionals.length > spec.positionals.length) {
    return {
      ok: false,
      problem: `${spec.name} takes ${spec.positionals.length || 'no'} argument(s) before the options; ${quoted(positionals[spec.positionals.length] ?? '')} is extra.`,
      usage: spec.usage,
    };
  }
  const missing = spec.positionals.find((p, i) => p.required && positionals[i] === undefined);
  if (missing) return { ok: false, problem: `${spec.name} needs <${missing.name}>.`, usage: spec.usage };
  const missingOption = spec.options.find((o) => o.required && !options[o.key]);
  if (missingOption)
    return { ok: false, problem: `${spec.name} needs ${missingOption.key}=….`, usage: spec.usage };
  return { ok: true, spec, command: { name: spec.name, positionals, options } };
}

/**
 * `inspect <token>`: a pasted header (`Authorization: Bearer eyJ…`) works as the bare token does, as on the CLI.
 * The answer never quotes a word of it: the token is a credential.
 */
function parseInspect(spec: CommandSpec, tokens: readonly string[]): ParseOutcome {
  const rest = [...tokens];
  if (/^authorization:?$/i.test(rest[0] ?? '')) rest.shift();
  if (/^bearer$/i.test(rest[0] ?? '')) rest.shift();
  if (rest.length === 1)
    return { ok: true, spec, command: { name: spec.name, positionals: rest, options: {} } };
  const problem =
    rest.length === 0
      ? 'inspect needs the token.'
      : 'inspect takes one token (optionally after Bearer); that message has more words, which I did not read.';
  return { ok: false, problem, usage: spec.usage };
}
