/** Reading an Exchange error record: "no such object" is an answer, not a failure to ask. */
import type { EmsErrorRecord } from '../core/ems';

/** True when an Exchange error means "no such object" rather than a failure to ask. */
export function isNotFound(error: EmsErrorRecord): boolean {
  return (
    error.errorId.includes('ManagementObjectNotFound') ||
    error.category === 'ObjectNotFound' ||
    /couldn't be found on/.test(error.message)
  );
}
