/** `history [run] [page=<n>]`: the audit log in chat, a page at a time, optionally of one run. */
import type { AdaptiveCard } from '@microsoft/teams-ai';
import type { AuditLog } from '../../store/run-repository';
import type { AuditEntry } from '../../store/types';
import { historyCard } from '../cards/history-card';
import { errorCard } from '../cards/message-cards';
import type { CommandHandler } from './handler';

/** Entries per page of the history card: enough to read a run's commands, small enough for a card. */
export const HISTORY_PAGE_SIZE = 10;

const RUN_PREFIX = /^[0-9a-f-]{1,36}$/;
const PAGE = /^[1-9][0-9]{0,4}$/;

/**
 * A command's "sent" entry is completed by a later entry with its result and duration: where both are on the
 * page, the completed one alone is shown.
 */
function withoutCompleted(entries: readonly AuditEntry[]): AuditEntry[] {
  const completed = new Set(
    entries.flatMap((entry) => (entry.completes === undefined ? [] : [entry.completes])),
  );
  return entries.filter((entry) => !completed.has(entry.seq));
}

/** The history card of page `page` (1 = newest), of one run when `run` is a prefix of its id. */
export async function historyPageCard(
  audit: Pick<AuditLog, 'listAudit'>,
  run: string | null,
  page: number,
  scope: string | null = null,
): Promise<AdaptiveCard> {
  const filter = {
    offset: (page - 1) * HISTORY_PAGE_SIZE,
    ...(run ? { runIdPrefix: run } : {}),
    ...(scope ? { target: scope } : {}),
  };
  // One more than a page tells whether there is a next one.
  const oldestFirst = await audit.listAudit(HISTORY_PAGE_SIZE + 1, filter);
  const newestFirst = [...oldestFirst].reverse();
  return historyCard({
    entries: withoutCompleted(newestFirst.slice(0, HISTORY_PAGE_SIZE)),
    page,
    run,
    hasMore: newestFirst.length > HISTORY_PAGE_SIZE,
  });
}

/** Reads `run` and `page` as typed or sent back by the card's "More"; null when either is malformed. */
export function historyQuery(
  run: string | undefined,
  page: string | undefined,
): { run: string | null; page: number } | null {
  const prefix = run?.toLowerCase();
  if (prefix !== undefined && !RUN_PREFIX.test(prefix)) return null;
  if (page !== undefined && !PAGE.test(page)) return null;
  return { run: prefix ?? null, page: page ? Number(page) : 1 };
}

export const history: CommandHandler<'store' | 'scope'> = async ({ command, services }) => {
  const query = historyQuery(command.positionals[0], command.options.page);
  if (!query)
    return errorCard(
      'history needs a run id and a page number',
      'A run is the start of its id (status lists them), a page a number from 1.',
      'Type history, history 1a2b3c4d or history page=2.',
    );
  return historyPageCard(services.store.runs, query.run, query.page, services.scope);
};
