/** The lab executor: jobs run against the simulated Exchange org, so the lab exercises the real relay path. */

import type { EmsResult } from '../core/ems';
import type { Clock } from '../core/ports';
import { isMutating } from '../exchange/validate';
import { type JobExecutor, outcomeOf } from '../relay/executors/types';
import { SimulatedExchange } from './exchange-org';
import { loadLabFile, saveLabFile } from './lab-file';

/** An executor over an existing simulated org (in-process tests share it with the lab's Graph side). */
export function labExecutor(exchange: SimulatedExchange): JobExecutor {
  return {
    name: 'lab',
    async run(commands, _timeoutMs, onProgress) {
      const results: EmsResult[] = [];
      if (commands.length > 1 || !commands.some((command) => isMutating(command.cmdlet))) {
        // Reads go through executeReads, which refuses a mutating cmdlet as a second line of defence.
        for (const command of commands) {
          const [result] = await exchange.executeReads([command]);
          if (result) results.push(result);
          onProgress?.(results.length);
        }
      } else {
        for (const command of commands) results.push(await exchange.execute(command));
      }
      return outcomeOf(results);
    },
    async close() {},
  };
}

/** An executor on a lab file: every command's change is written back to the file before its result is sent. */
export function labFileExecutor(file: string, clock: Clock): JobExecutor {
  const state = loadLabFile(file);
  return labExecutor(new SimulatedExchange(state, { clock, persist: () => saveLabFile(file, state) }));
}
