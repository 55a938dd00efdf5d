/**
 * How the lab's relay agent reaches the simulated org: in-process (`--executor lab`, the default), or through
 * node-powershell, a real pwsh and the HybridOps.Lab module over its loopback endpoint (`--executor powershell`).
 */
import { parseArgs } from 'node:util';
import { CodedError, errorMessage } from '../core/errors';
import type { SimulatedExchange } from '../lab/exchange-org';
import { labModuleExecutor } from '../lab/module-executor';
import { labExecutor } from '../lab/relay-executor';
import type { JobExecutor } from '../relay/executors/types';

export const LAB_EXECUTORS = ['lab', 'powershell'] as const;
export type LabExecutorKind = (typeof LAB_EXECUTORS)[number];

const USAGE = 'Usage: npm run lab [-- --executor lab|powershell]';

/** Parses `npm run lab`'s arguments; throws USAGE with the usage line. */
export function parseLabArgs(argv: readonly string[]): { readonly executor: LabExecutorKind } {
  let executor: string;
  try {
    ({ executor } = parseArgs({
      args: [...argv],
      strict: true,
      options: { executor: { type: 'string', default: 'lab' } },
    }).values);
  } catch (error) {
    throw new CodedError('USAGE', `${errorMessage(error)}\n${USAGE}`);
  }
  if (!(LAB_EXECUTORS as readonly string[]).includes(executor)) {
    throw new CodedError('USAGE', `--executor must be lab or powershell, not "${executor}".\n${USAGE}`);
  }
  return { executor: executor as LabExecutorKind };
}

/** The lab agent's executor and how the lab names it. */
export interface LabAgentExecutor {
  readonly executor: JobExecutor;
  /** What the agent runs jobs with, for the lab's welcome text. */
  readonly via: string;
  /** How many shells it has started (none in-process). */
  shellsStarted(): number;
}

/**
 * The executor for `kind` on `exchange`. With powershell the shell starts here, so a missing pwsh stops the
 * lab at its start with how to install it rather than failing the first plan.
 */
export async function labAgentExecutor(
  kind: LabExecutorKind,
  exchange: SimulatedExchange,
): Promise<LabAgentExecutor> {
  if (kind === 'lab') {
    return {
      executor: labExecutor(exchange),
      via: 'on the simulated org in this process (--executor lab)',
      shellsStarted: () => 0,
    };
  }
  const executor = await labModuleExecutor(exchange);
  try {
    await executor.start();
  } catch (error) {
    await executor.close();
    throw new CodedError(
      'CONFIG_INVALID',
      `--executor powershell needs PowerShell 7 (pwsh) on PATH (dotnet tool install --global PowerShell --version 7.6.9, then put ~/.dotnet/tools on PATH); the shell did not start: ${errorMessage(error)}`,
    );
  }
  return {
    executor,
    via: `through pwsh and HybridOps.Lab, whose endpoint is ${executor.endpointUrl} (--executor powershell)`,
    shellsStarted: () => executor.shellsStarted,
  };
}
