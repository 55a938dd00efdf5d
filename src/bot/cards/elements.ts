/** Small builders for Adaptive Card 1.5 elements, so every card is made the same way. */
import type { AdaptiveCard } from '@microsoft/teams-ai';

export type Element = Record<string, unknown>;
export type Tone = 'default' | 'good' | 'attention' | 'warning' | 'accent';

/** Card verbs: the only thing besides an id that a card sends back. */
export const VERBS = {
  requestApproval: 'hybridops.plan.request',
  refreshApproval: 'hybridops.approval.refresh',
  approve: 'hybridops.approval.approve',
  reject: 'hybridops.approval.reject',
  historyPage: 'hybridops.history.page',
} as const;

export type Verb = (typeof VERBS)[keyof typeof VERBS];

/** A whole card. */
export function card(
  body: Element[],
  actions: Element[] = [],
  extra: Record<string, unknown> = {},
): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    msteams: { width: 'Full' },
    body,
    ...(actions.length ? { actions } : {}),
    ...extra,
  };
}

/**
 * Text the client shows as typed: Teams removes anything that looks like an HTML tag from a TextBlock or a fact
 * (`plan <runbook>`, `a@<b>.com`, a token's `<script>`), so angle brackets become the look-alike ‹ and ›.
 */
export function visible(value: string): string {
  return value.replace(/</g, '‹').replace(/>/g, '›');
}

/** A text block; wraps by default. */
export function text(value: string, options: Element = {}): Element {
  return { type: 'TextBlock', text: visible(value), wrap: true, ...options };
}

/** A card title with an optional coloured subtitle. */
export function heading(title: string, subtitle?: string, tone: Tone = 'default'): Element[] {
  const blocks = [text(title, { size: 'Large', weight: 'Bolder', style: 'heading' })];
  if (subtitle) blocks.push(text(subtitle, { color: tone, spacing: 'None', isSubtle: tone === 'default' }));
  return blocks;
}

/** Label/value pairs. */
export function facts(pairs: readonly (readonly [string, string])[]): Element {
  return {
    type: 'FactSet',
    facts: pairs.map(([title, value]) => ({ title: visible(title), value: visible(value) })),
  };
}

/** Monospace text shown exactly as is: a TextRun takes no markdown, so PowerShell reads as it will run. */
export function code(value: string, id?: string, visible = true): Element {
  return {
    type: 'Container',
    ...(id ? { id } : {}),
    isVisible: visible,
    style: 'emphasis',
    items: [
      {
        type: 'RichTextBlock',
        inlines: [{ type: 'TextRun', text: value, fontType: 'Monospace', size: 'Small' }],
      },
    ],
  };
}

/** A universal action, with an Action.Submit fallback for clients without Action.Execute. */
export function execute(
  title: string,
  verb: Verb,
  data: Record<string, string>,
  style?: 'positive' | 'destructive',
): Element {
  return {
    type: 'Action.Execute',
    title,
    verb,
    data,
    ...(style ? { style } : {}),
    fallback: { type: 'Action.Submit', title, data: { ...data, verb } },
  };
}

/** A button that shows or hides elements by id (collapsed details). */
export function toggle(title: string, targetIds: readonly string[]): Element {
  return { type: 'Action.ToggleVisibility', title, targetElements: [...targetIds] };
}

/** Warnings as a coloured list. */
export function warnings(items: readonly string[]): Element[] {
  return items.map((item) => text(`⚠ ${item}`, { color: 'warning', size: 'Small', spacing: 'Small' }));
}

/** Shortens an id for display and typing (`cancel 1a2b3c4d`). */
export function shortId(id: string): string {
  return id.slice(0, 8);
}

/** `3 steps`, `1 step`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
