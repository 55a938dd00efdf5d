/** Turning any error into one clear line and an exit code. */
import { ConfigError } from '../config/load-config';
import { EngineError } from '../engine/errors';
import { CommandParseError, CommandValidationError } from '../exchange/errors';
import { InputError } from '../runbooks';

/** Typed error for bad command-line usage. */
export class UsageError extends Error {
  readonly code = 'USAGE';
}

/** Exit code 2 for anything the user can fix by asking differently; 1 for a failure while working. */
export function exitCodeFor(error: unknown): number {
  const refused = [UsageError, InputError, ConfigError, CommandParseError, CommandValidationError];
  if (refused.some((type) => error instanceof type)) return 2;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && /^LAB_FILE_(MISSING|CORRUPT|EXISTS)$/.test(code)) return 2;
  if (error instanceof EngineError && error.code === 'CAUTION_NOT_ACKNOWLEDGED') return 2;
  return 1;
}

/** The one line printed on stderr. */
export function messageFor(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `hybridops: ${message.split('\n')[0]}`;
}
