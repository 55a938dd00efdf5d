/**
 * The powershell executor with the lab's Exchange module instead of Exchange: the shell imports HybridOps.Lab,
 * whose functions reach a simulated org over its loopback endpoint. Used by `npm run lab -- --executor
 * powershell` and by the agent's `--executor powershell --exchange lab` (which loads this file only then).
 */
import type { Clock } from '../core/ports';
import { type PowershellExecutor, powershellExecutor } from '../relay/executors/powershell';
import { SimulatedExchange } from './exchange-org';
import { loadLabFile, saveLabFile } from './lab-file';
import { LAB_MODULE_PATH, startLabModuleEndpoint } from './powershell-endpoint';

/** A powershell executor on HybridOps.Lab, and the endpoint its module reaches. */
export interface LabModuleExecutor extends PowershellExecutor {
  /** The endpoint's address (127.0.0.1), for what the lab and the agent announce. */
  readonly endpointUrl: string;
}

/** Serves `exchange` on a fresh loopback endpoint to a shell with HybridOps.Lab; closing stops both. */
export async function labModuleExecutor(exchange: SimulatedExchange): Promise<LabModuleExecutor> {
  const endpoint = await startLabModuleEndpoint(exchange);
  return withEndpoint(moduleExecutor(endpoint.env), endpoint.url, () => endpoint.close());
}

/** The lab file's org behind HybridOps.Lab: every change is written back to the file before its result is sent. */
export function labFileModuleExecutor(file: string, clock: Clock): Promise<LabModuleExecutor> {
  const state = loadLabFile(file);
  return labModuleExecutor(new SimulatedExchange(state, { clock, persist: () => saveLabFile(file, state) }));
}

/** A shell with HybridOps.Lab against an endpoint another process serves (its address and secret). */
export function labEndpointModuleExecutor(url: string, secret: string): LabModuleExecutor {
  const executor = moduleExecutor({ HYBRIDOPS_LAB_URL: url, HYBRIDOPS_LAB_SECRET: secret });
  return withEndpoint(executor, url, async () => {});
}

function moduleExecutor(endpointEnv: Readonly<Record<string, string>>): PowershellExecutor {
  return powershellExecutor({
    exchange: 'lab',
    lab: { modulePath: LAB_MODULE_PATH },
    env: { ...process.env, ...endpointEnv },
  });
}

function withEndpoint(
  executor: PowershellExecutor,
  endpointUrl: string,
  closeEndpoint: () => Promise<void>,
): LabModuleExecutor {
  return {
    name: executor.name,
    endpointUrl,
    get shellsStarted() {
      return executor.shellsStarted;
    },
    run: (commands, timeoutMs, onProgress) => executor.run(commands, timeoutMs, onProgress),
    start: () => executor.start(),
    close: async () => {
      await executor.close();
      await closeEndpoint();
    },
  };
}
