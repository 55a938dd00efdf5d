/** `watch status|on|off|thresholds 60,30,7` as the Teams surface calls it: typed result plus the reply text. */

import { CodedError } from '../core/errors';
import type { Watch, WatchStatus } from './watch';

/** The reply to `watch status` (and to the other subcommands, which answer with the new status). */
export function formatWatchStatus(status: WatchStatus): string {
  const lines = [
    `Watch for ${status.orgName} is ${status.enabled ? 'on' : 'off'}; thresholds ${status.thresholds.join(', ')} days; schedule ${status.schedule} (UTC).`,
  ];
  if (status.nextScanAt) lines.push(`Next scan: ${status.nextScanAt}.`);
  lines.push(
    status.lastScanAt
      ? `Last scan: ${status.lastScanAt} — ${status.lastScanOutcome ?? ''}.`
      : 'Not scanned yet.',
  );
  if (status.activeAlerts.length === 0) lines.push('No active alerts.');
  for (const card of status.activeAlerts) lines.push(`• [${card.state}] ${card.title}`);
  return lines.join('\n');
}

/** Runs one `watch …` chat command for an org; throws a CodedError with a sentence for bad input. */
export function runWatchCommand(
  watch: Watch,
  orgId: string,
  args: string,
): { status: WatchStatus; text: string } {
  const [sub = 'status', ...rest] = args
    .trim()
    .split(/\s+/)
    .filter((part) => part !== '');
  let status: WatchStatus;
  switch (sub.toLowerCase()) {
    case 'status':
      status = watch.status(orgId);
      break;
    case 'on':
      status = watch.on(orgId);
      break;
    case 'off':
      status = watch.off(orgId);
      break;
    case 'thresholds':
      status = watch.setThresholds(orgId, rest.join(' '));
      break;
    default:
      throw new CodedError(
        'BAD_THRESHOLDS',
        `Unknown watch command "${sub}": use watch status, on, off or thresholds 60,30,7.`,
      );
  }
  return { status, text: formatWatchStatus(status) };
}
