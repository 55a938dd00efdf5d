/**
 * The simulated org through real PowerShell (executor → pwsh → HybridOps.Lab → endpoint) and in-process
 * answer alike, and every hostile value reaches the org byte for byte, evaluated by nothing on the way.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { EmsCommand, EmsResult } from '../../src/core/ems';
import { SimulatedExchange } from '../../src/lab/exchange-org';
import { createLabState } from '../../src/lab/init';
import type { LabState } from '../../src/lab/state';
import type { PowershellExecutor } from '../../src/relay/executors/powershell';
import { ALL_SAMPLES } from '../exchange/samples';
import { INERT_HOSTILE_VALUES } from '../relay/fixtures/hostile';
import { DOMAIN, fixedClock, tempDir } from '../support/lab-org';
import { describeWithShell } from '../support/pwsh';
import { type ModuleLab, sequentialGuids, startModuleLab } from './support';

/** Exchange's parameter sets refuse this pair (-ClearPreviousCertificate is in another set than the date). */
const REFUSED_BY_PARAMETER_SETS = (command: EmsCommand) =>
  command.cmdlet === 'Set-AuthConfig' &&
  'ClearPreviousCertificate' in command.params &&
  'NewCertificateEffectiveDate' in command.params;

/** New keys each time: compare what the result says, not the random thumbprint. */
const RANDOM_OUTPUT = (command: EmsCommand) => command.cmdlet === 'New-ExchangeCertificate';

const LOOKALIKES = [
  'Zoë 日本 ✓ 🎉',
  '2025-03-01T00:00:00Z',
  '\\/Date(1234567890)\\/',
  '"q" \u201cq\u201d \u2018q\u2019',
  '`n`t',
  ' x ',
  '',
];

describeWithShell('the simulated org through HybridOps.Lab', (shell) => {
  jest.setTimeout(180_000);
  let seed: LabState;
  let lab: ModuleLab;
  let inProcess: SimulatedExchange;
  let inProcessState: LabState;
  let executor: PowershellExecutor;
  beforeAll(async () => {
    seed = await createLabState({ now: fixedClock().now(), domain: DOMAIN });
  });
  beforeEach(async () => {
    const copy = (): LabState => JSON.parse(JSON.stringify(seed)) as LabState;
    lab = await startModuleLab(copy());
    inProcessState = copy();
    inProcess = new SimulatedExchange(inProcessState, {
      clock: lab.clock,
      persist: () => undefined,
      newGuid: sequentialGuids(),
    });
    executor = lab.executor(shell);
  });
  afterEach(() => lab.close());

  const throughShell = async (command: EmsCommand): Promise<EmsResult> => {
    const outcome = await executor.run([command], 60_000);
    return outcome.results[0] as EmsResult;
  };

  it('answers every sample command as the in-process org does, and logs the same commands', async () => {
    const samples = ALL_SAMPLES.filter((command) => !REFUSED_BY_PARAMETER_SETS(command));
    for (const command of samples) {
      const expected = await inProcess.execute(command);
      const actual = await throughShell(command);
      if (RANDOM_OUTPUT(command)) {
        expect([command.cmdlet, actual.ok, Object.keys(actual.output[0] ?? {})]).toEqual([
          command.cmdlet,
          expected.ok,
          Object.keys(expected.output[0] ?? {}),
        ]);
      } else {
        expect([command, actual]).toEqual([command, expected]);
      }
    }
    const logOf = (state: LabState) =>
      state.org.commandLog.map(({ cmdlet, params, ok }) => ({ cmdlet, params, ok }));
    expect(logOf(lab.state)).toEqual(logOf(inProcessState));
  });

  it('refuses, as Exchange does, a parameter pair the in-process org accepts', async () => {
    const command = ALL_SAMPLES.find(REFUSED_BY_PARAMETER_SETS) as EmsCommand;
    expect(await throughShell(command)).toMatchObject({
      ok: false,
      error: { errorId: 'AmbiguousParameterSet,Set-AuthConfig', category: 'InvalidArgument' },
    });
    expect(lab.state.org.commandLog).toEqual([]);
  });

  it('passes every hostile value to the org byte for byte, and evaluates none of them', async () => {
    const { dir, cleanup } = tempDir('hybridops-canary-');
    try {
      const canary = (name: string) => path.join(dir, name);
      const evaluating = [
        `$(New-Item -ItemType File -Path '${canary('a')}')`,
        `'; New-Item -ItemType File -Path '${canary('b')}'; '`,
        `"; New-Item -ItemType File -Path '${canary('c')}'; "`,
        `\`$(New-Item -ItemType File -Path '${canary('d')}')`,
      ];
      const values = [...INERT_HOSTILE_VALUES, ...LOOKALIKES, ...evaluating];
      for (const value of values) {
        const command: EmsCommand = { cmdlet: 'Get-MailUser', params: { Identity: value } };
        expect([value, await throughShell(command)]).toEqual([value, await inProcess.execute(command)]);
      }
      await throughShell({
        cmdlet: 'New-ExchangeCertificate',
        params: { DomainName: values, FriendlyName: values.join('|') },
      });
      const log = lab.state.org.commandLog;
      expect(log.slice(0, values.length).map((entry) => entry.params.Identity)).toEqual(values);
      expect(log[values.length]?.params).toEqual({ DomainName: values, FriendlyName: values.join('|') });
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      cleanup();
    }
  });
});
