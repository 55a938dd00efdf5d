import { CodedError } from '../core/errors';
/** Alert thresholds: days before a date at which the watch speaks up, once each. */

/** The default: 60, 30, 14, 7 and 1 days before. */
export const DEFAULT_THRESHOLDS: readonly number[] = [60, 30, 14, 7, 1];

/** Parses `60,30,7` (spaces allowed) into distinct whole days, largest first; throws BAD_THRESHOLDS. */
export function parseThresholds(text: string): number[] {
  const parts = text
    .split(/[,\s]+/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (parts.length === 0)
    throw new CodedError('BAD_THRESHOLDS', 'Give at least one threshold in days, e.g. 60,30,7.');
  const days = parts.map((part) => {
    if (!/^\d{1,4}$/.test(part) || Number(part) < 1 || Number(part) > 3650) {
      throw new CodedError(
        'BAD_THRESHOLDS',
        `"${part}" is not a number of days between 1 and 3650; write e.g. 60,30,7.`,
      );
    }
    return Number(part);
  });
  return [...new Set(days)].sort((a, b) => b - a);
}

/**
 * The smallest threshold already reached with `daysLeft` to go, or null when none is; 0 (the date itself has come)
 * always counts, so an expiry is announced even when every configured threshold was passed unseen.
 */
export function reachedThreshold(daysLeft: number, thresholds: readonly number[]): number | null {
  const all = [...thresholds, 0];
  const reached = all.filter((threshold) => daysLeft <= threshold);
  return reached.length === 0 ? null : Math.min(...reached);
}

/** Every threshold at or above `threshold` (the ones a single crossing also covers). */
export function coveredThresholds(threshold: number, thresholds: readonly number[]): number[] {
  return [...thresholds, 0].filter((candidate) => candidate >= threshold);
}
