/** `watch status|on|off|thresholds 60,30,7`: the typed status after the command, and its lines for a reply. */
import { CodedError } from '../core/errors';
import type { Watch, WatchStatus } from './watch';

/** The status in the admin's words, one line each. */
export function watchStatusLines(status: WatchStatus): string[] {
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
  return lines;
}

/** Runs one `watch …` command for an org and returns the status after it; throws a CodedError for bad input. */
export async function runWatchCommand(watch: Watch, orgId: string, args: string): Promise<WatchStatus> {
  const [sub = 'status', ...rest] = args
    .trim()
    .split(/\s+/)
    .filter((part) => part !== '');
  switch (sub.toLowerCase()) {
    case 'status':
      return watch.status(orgId);
    case 'on':
      return watch.on(orgId);
    case 'off':
      return watch.off(orgId);
    case 'thresholds':
      return watch.setThresholds(orgId, rest.join(' '));
    default:
      throw new CodedError(
        'BAD_THRESHOLDS',
        `Unknown watch command "${sub}": use watch status, on, off or thresholds 60,30,7.`,
      );
  }
}
