/** A simulated org served to the HybridOps.Lab PowerShell module, for tests that drive it through a real shell. */
import type { Clock } from '../../src/core/ports';
import { SimulatedExchange } from '../../src/lab/exchange-org';
import { createLabState } from '../../src/lab/init';
import {
  LAB_MODULE_PATH,
  type LabModuleEndpoint,
  startLabModuleEndpoint,
} from '../../src/lab/powershell-endpoint';
import type { LabState } from '../../src/lab/state';
import { type PowershellExecutor, powershellExecutor } from '../../src/relay/executors/powershell';
import { DOMAIN, fixedClock } from '../support/lab-org';

export interface ModuleLab {
  readonly state: LabState;
  readonly exchange: SimulatedExchange;
  readonly endpoint: LabModuleEndpoint;
  readonly clock: Clock;
  /** The shell's environment: this process's, with the endpoint and its secret. */
  readonly env: NodeJS.ProcessEnv;
  /** An executor whose shell imports HybridOps.Lab against this org (closed with the lab). */
  executor(shell: string): PowershellExecutor;
  close(): Promise<void>;
}

/** GUIDs in a fixed order, so two orgs given the same commands come out the same. */
export function sequentialGuids(): () => string {
  let next = 0;
  return () => `00000000-0000-4000-8000-${(next++).toString(16).padStart(12, '0')}`;
}

/** A fresh in-memory org (or `state`) behind the module endpoint. */
export async function startModuleLab(state?: LabState): Promise<ModuleLab> {
  const clock = fixedClock();
  const labState = state ?? (await createLabState({ now: clock.now(), domain: DOMAIN }));
  const exchange = new SimulatedExchange(labState, {
    clock,
    persist: () => undefined,
    newGuid: sequentialGuids(),
  });
  const endpoint = await startLabModuleEndpoint(exchange);
  const env = { ...process.env, ...endpoint.env };
  const executors: PowershellExecutor[] = [];
  return {
    state: labState,
    exchange,
    endpoint,
    clock,
    env,
    executor(shell) {
      const executor = powershellExecutor({
        exchange: 'lab',
        lab: { modulePath: LAB_MODULE_PATH },
        executable: shell,
        env,
      });
      executors.push(executor);
      return executor;
    },
    async close() {
      for (const executor of executors) await executor.close();
      await endpoint.close();
    },
  };
}

/** PowerShell that imports the module by its full path (single quotes doubled). */
export const importModule = `Import-Module '${LAB_MODULE_PATH.replace(/'/g, "''")}' -DisableNameChecking`;
