/** The CLI's EmsRunner straight over an executor: the relay agent's checks, and unknown outcomes as rejections. */
import type { EmsCommand } from '../../src/core/ems';
import { executorEmsRunner } from '../../src/relay/executors/executor-ems-runner';
import type { ExecutorOutcome, JobExecutor } from '../../src/relay/executors/types';
import { REFUSED_HOSTILE_VALUES } from './fixtures/hostile';

/** An executor that records what reached it and answers with the given outcome. */
function recordingExecutor(answer: (commands: readonly EmsCommand[]) => ExecutorOutcome) {
  const seen: EmsCommand[][] = [];
  const executor: JobExecutor = {
    name: 'recording',
    async run(commands) {
      seen.push([...commands]);
      return answer(commands);
    },
    async close() {},
  };
  return { executor, seen };
}

const ok = (commands: readonly EmsCommand[]): ExecutorOutcome => ({
  status: 'succeeded',
  results: commands.map((command) => ({ ok: true, output: [{ Name: command.cmdlet }] })),
});

describe('an EmsRunner over an executor', () => {
  it.each(REFUSED_HOSTILE_VALUES.map((value) => [value]))(
    'refuses %j before any shell sees it',
    async (value) => {
      const { executor, seen } = recordingExecutor(ok);
      const runner = executorEmsRunner(executor);
      const command = { cmdlet: 'Get-MailUser', params: { Identity: value } } as unknown as EmsCommand;
      await expect(runner.run(command)).rejects.toThrow();
      expect(seen).toEqual([]);
    },
  );

  it('refuses a changing cmdlet in a batch of reads, and runs reads together', async () => {
    const { executor, seen } = recordingExecutor(ok);
    const runner = executorEmsRunner(executor);
    const reads: EmsCommand[] = [
      { cmdlet: 'Get-AuthConfig', params: {} },
      { cmdlet: 'Get-PartnerApplication', params: {} },
    ];
    await expect(
      runner.runReads([...reads, { cmdlet: 'Remove-PartnerApplication', params: { Identity: 'x' } }]),
    ).rejects.toThrow(/changes the org/);
    expect(await runner.runReads(reads)).toHaveLength(2);
    expect(seen).toEqual([reads]);
  });

  it('rejects a command whose outcome is unknown, so the engine re-probes instead of repeating it', async () => {
    const { executor } = recordingExecutor(() => ({ status: 'timedOut', results: [] }));
    const runner = executorEmsRunner(executor, 1_000);
    await expect(runner.run({ cmdlet: 'Set-MailUser', params: { Identity: 'x' } })).rejects.toMatchObject({
      code: 'OUTCOME_UNKNOWN',
    });
  });
});
