/** Where a CLI invocation writes, what environment it reads, and its clock. */
import type { Clock } from '../core/ports';

export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly clock: Clock;
}
