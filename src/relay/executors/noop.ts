/** An executor that runs nothing and answers every command with empty output (for measuring the relay itself). */
import { type JobExecutor, outcomeOf } from './types';

/** Answers every command with empty output. */
export function noopExecutor(): JobExecutor {
  return {
    name: 'noop',
    async run(commands) {
      return outcomeOf(commands.map(() => ({ ok: true, output: [] })));
    },
    async close() {},
  };
}
