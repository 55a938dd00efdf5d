/** `hybridops inspect-token TOKEN [--json]`: the inspector from a terminal. */
import { formatInspection, inspectToken } from '../verify/token/inspect-token';

export interface InspectTokenCliOptions {
  readonly json?: boolean;
  readonly 'tenant-id'?: string;
  readonly domain?: string;
}

/** Prints the inspection; exit code 0 when nothing is wrong, 1 with findings, 2 for input that is not a token. */
export function inspectTokenCli(
  token: string | undefined,
  options: InspectTokenCliOptions,
  io: { out: (text: string) => void; err: (text: string) => void; clock: { now(): Date } },
): number {
  const outcome = inspectToken(token ?? '', {
    now: io.clock.now(),
    ...(options['tenant-id'] ? { tenantId: options['tenant-id'] } : {}),
    ...(options.domain ? { domain: options.domain } : {}),
  });
  if (outcome.kind === 'malformed') {
    if (options.json) io.out(JSON.stringify(outcome));
    else io.err(`hybridops: ${outcome.message}`);
    return 2;
  }
  io.out(options.json ? JSON.stringify(outcome) : formatInspection(outcome));
  return outcome.findings.length === 0 ? 0 : 1;
}
