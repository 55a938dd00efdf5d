/** How the CLI ends on an error: one line on stderr and an exit code, both from the error's code. */
import { asCodedError, type ErrorCode } from '../core/errors';

/** Exit code 2: the user can fix it by asking differently. Anything else that fails while working exits 1. */
const ASK_DIFFERENTLY: readonly ErrorCode[] = [
  'USAGE',
  'CONFIG_INVALID',
  'UNKNOWN_RUNBOOK',
  'BAD_INPUT',
  'CAUTION_NOT_ACKNOWLEDGED',
  // A saved plan file that is malformed, was changed after it was made, or is for another org.
  'BAD_PLAN',
  // A command line or command object that is not one hybridops may run.
  'BAD_SHAPE',
  'UNKNOWN_CMDLET',
  'UNKNOWN_PARAMETER',
  'BAD_VALUE',
  'MISSING_PARAMETER',
  'CONFLICTING_PARAMETERS',
  'EMPTY',
  'TOO_LONG',
  'SYNTAX',
  'NOT_ONE_COMMAND',
  'FORBIDDEN_SYNTAX',
  'BAD_ARGUMENT',
  'DUPLICATE_PARAMETER',
  // The agent registry.
  'BAD_AGENT_ID',
  'BAD_AGENT_OPTIONS',
  'UNKNOWN_AGENT',
  'AGENT_EXISTS',
  // The lab file named on the command line.
  'LAB_FILE_MISSING',
  'LAB_FILE_CORRUPT',
  'LAB_FILE_EXISTS',
  'LAB_FILE_LOCKED',
  // HYBRIDOPS_DB names no database hybridops can use.
  'BAD_DATABASE_URL',
];

/** Exit code 1: the database could not be used as it is (server down, migration, a damaged row), not the request. */
const STORE_FAILURES: readonly ErrorCode[] = ['DATABASE_UNREACHABLE', 'MIGRATION_FAILED', 'CORRUPT_PLAN'];

export const EXIT_CODES: Partial<Record<ErrorCode, number>> = Object.fromEntries([
  ...ASK_DIFFERENTLY.map((code) => [code, 2]),
  ...STORE_FAILURES.map((code) => [code, 1]),
]);

/** Exit code 2 for anything the user can fix by asking differently; 1 for a failure while working. */
export function exitCodeFor(error: unknown): number {
  return EXIT_CODES[asCodedError(error).code] ?? 1;
}

/** The one line printed on stderr. */
export function messageFor(error: unknown): string {
  return `hybridops: ${asCodedError(error).message.split('\n')[0]}`;
}
