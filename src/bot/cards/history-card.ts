/** The audit log in chat: who did what, the exact command or request, its result and how long it took. */
import type { AdaptiveCard } from '@microsoft/teams-ai';
import type { AuditEntry } from '../../store/types';
import { card, code, type Element, execute, heading, shortId, text, VERBS } from './elements';

/** One page of the audit log, newest first, and where it came from. */
export interface HistoryPage {
  readonly entries: readonly AuditEntry[];
  /** 1 for the newest entries. */
  readonly page: number;
  /** The run prefix the log was filtered by, if any. */
  readonly run: string | null;
  readonly hasMore: boolean;
}

const LABELS: Record<string, string> = {
  command: 'Ran',
  'command.sent': 'Sent',
  'command.unknown': 'Outcome unknown',
  'approval.requested': 'Requested approval',
  'approval.approved': 'Approved',
  'approval.rejected': 'Rejected',
  'approval.withdrawn': 'Withdrew an approval',
  'approval.expired': 'Approval expired',
  'approval.superseded': 'Approval superseded',
  'run.started': 'Run started',
  'run.finished': 'Run finished',
  'run.resumed': 'Run resumed',
  'run.interrupted': 'Run interrupted',
  'run.cancelled': 'Cancelled a run',
};

/** The action in the admin's words (`approval.approved` → Approved). */
export function actionLabel(action: string): string {
  return LABELS[action] ?? action.replace(/[._]/g, ' ').replace(/^./, (first) => first.toUpperCase());
}

/** The display name of a journaled actor (`Alex Wilber (object id)` → Alex Wilber). */
export function actorName(actor: string): string {
  return actor.replace(/\s*\([^()]*\)$/, '') || actor;
}

/** A duration as an admin reads it: 840 ms, 3.2 s, 2 min 5 s. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** A decision's detail as an admin reads it: names without object ids, short ids and hashes as `status` shows them. */
export function readableDetail(detail: string): string {
  return detail
    .replace(/ \((?:[0-9a-f-]{36}|unknown id)\)/gi, '')
    .replace(/\b([0-9a-f]{8})-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '$1')
    .replace(/\b([0-9a-f]{12})[0-9a-f]{52}\b/gi, '$1');
}

const isCommand = (action: string) => action === 'command' || action.startsWith('command.');

function entryRows(entry: AuditEntry): Element[] {
  const when = `${entry.at.slice(0, 19).replace('T', ' ')} UTC`;
  const run = entry.runId ? ` · run ${shortId(entry.runId)}` : '';
  const rows: Element[] = [
    text(`**${actionLabel(entry.action)}** · ${actorName(entry.actor)} · ${when}${run}`, {
      spacing: 'Medium',
      separator: true,
    }),
  ];
  const detail = entry.detail.length > 600 ? `${entry.detail.slice(0, 600)}…` : entry.detail;
  rows.push(
    isCommand(entry.action) ? code(detail) : text(readableDetail(detail), { size: 'Small', spacing: 'None' }),
  );
  const result = [
    entry.outcome ? `Result: ${entry.outcome}` : null,
    entry.durationMs === null ? null : `took ${formatDuration(entry.durationMs)}`,
  ].filter(Boolean);
  if (result.length) rows.push(text(result.join(' · '), { size: 'Small', spacing: 'None', isSubtle: true }));
  return rows;
}

/** The history card: one page of entries, newest first, with "More" for the next page. */
export function historyCard(history: HistoryPage): AdaptiveCard {
  const title = history.run ? `Audit log of run ${history.run}` : 'Audit log';
  const where = history.page === 1 ? 'latest first' : `page ${history.page}, latest first`;
  if (history.entries.length === 0)
    return card([
      ...heading(title, history.page === 1 ? 'No entries yet.' : `No entries on page ${history.page}.`),
    ]);
  const body = [...heading(title, where), ...history.entries.flatMap(entryRows)];
  const data = { page: String(history.page + 1), ...(history.run ? { run: history.run } : {}) };
  return card(body, history.hasMore ? [execute('More', VERBS.historyPage, data)] : []);
}
