/**
 * The simulated org through real PowerShell (executor → pwsh → HybridOps.Lab → endpoint) and in-process
 * answer alike, and every hostile value reaches the org byte for byte, evaluated by nothing on the way.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CmdletName, EmsCommand, EmsResult, ParamValue } from '../../src/core/ems';
import { CodedError } from '../../src/core/errors';
import { CMDLET_SPECS, type ParamSpec } from '../../src/exchange/cmdlets';
import { validateCommand } from '../../src/exchange/validate';
import { SimulatedExchange } from '../../src/lab/exchange-org';
import { createLabState } from '../../src/lab/init';
import type { LabState } from '../../src/lab/state';
import type { PowershellExecutor } from '../../src/relay/executors/powershell';
import { ALL_SAMPLES } from '../exchange/samples';
import { INERT_HOSTILE_VALUES } from '../relay/fixtures/hostile';
import { DOMAIN, fixedClock, tempDir } from '../support/lab-org';
import { describeWithShell } from '../support/pwsh';
import { type ModuleLab, sequentialGuids, startModuleLab } from './support';

/** New keys each time: compare what the result says, not the random thumbprint. */
const RANDOM_OUTPUT = (command: EmsCommand) => command.cmdlet === 'New-ExchangeCertificate';

/** Every hostile value, with ones that would create a file in `dir` if anything on the way evaluated them. */
function hostileValues(dir: string): string[] {
  const canary = (name: string) => path.join(dir, name);
  const evaluating = [
    `$(New-Item -ItemType File -Path '${canary('a')}')`,
    `'; New-Item -ItemType File -Path '${canary('b')}'; '`,
    `"; New-Item -ItemType File -Path '${canary('c')}'; "`,
    `\`$(New-Item -ItemType File -Path '${canary('d')}')`,
  ];
  return [...INERT_HOSTILE_VALUES, ...LOOKALIKES, ...evaluating];
}

/** A free-text parameter of a hybrid cmdlet, and the rest of a command it completes. */
interface FreeText {
  readonly cmdlet: CmdletName;
  readonly param: string;
  readonly rest?: EmsCommand['params'];
}

/** The hybrid cmdlets' parameters that carry names, URLs, domains and reasons (ValidateSet ones take no free text). */
function freeTextParameters(org: LabState['org']): FreeText[] {
  const evoSts = org.authServers.find((server) => server.type === 'AzureAD')?.name ?? 'evoSTS';
  const acs = org.authServers.find((server) => server.type === 'MicrosoftACS')?.name ?? 'ACS';
  const connector = org.intraOrganizationConnectors[0]?.name ?? 'HybridIOC';
  const refresh = {
    Process: 'Microsoft.Exchange.Directory.TopologyService',
    Component: 'VariantConfiguration',
    Argument: 'Refresh',
  };
  const override = {
    Name: 'EnableExchangeHybrid3PAppFeature',
    Component: 'Global',
    Section: 'ExchangeOnpremAsThirdPartyAppId',
    Parameters: ['Enabled=true'],
    Reason: 'Created by hybridops',
  };
  const metadata = 'https://login.windows.net/contoso.com/federationmetadata/2007-06/federationmetadata.xml';
  const discovery = 'https://outlook.office365.com/autodiscover/autodiscover.svc';
  return [
    { cmdlet: 'Get-ExchangeServer', param: 'Identity' },
    { cmdlet: 'Get-AcceptedDomain', param: 'Identity' },
    { cmdlet: 'Get-ExchangeDiagnosticInfo', param: 'Server', rest: refresh },
    { cmdlet: 'New-AuthServer', param: 'Name', rest: { AuthMetadataUrl: metadata } },
    { cmdlet: 'New-AuthServer', param: 'AuthMetadataUrl', rest: { Name: 'evoSTS-hostile' } },
    {
      cmdlet: 'New-AuthServer',
      param: 'DomainName',
      rest: { Name: 'evoSTS-domains', AuthMetadataUrl: metadata },
    },
    { cmdlet: 'Set-AuthServer', param: 'Identity', rest: { Enabled: true } },
    { cmdlet: 'Set-AuthServer', param: 'ApplicationIdentifier', rest: { Identity: evoSts } },
    { cmdlet: 'Set-AuthServer', param: 'DomainName', rest: { Identity: evoSts } },
    { cmdlet: 'Set-AuthServer', param: 'AuthMetadataUrl', rest: { Identity: acs } },
    { cmdlet: 'Set-AuthServer', param: 'Name', rest: { Identity: acs } },
    {
      cmdlet: 'New-IntraOrganizationConnector',
      param: 'Name',
      rest: { DiscoveryEndpoint: discovery, TargetAddressDomains: ['contoso.mail.onmicrosoft.com'] },
    },
    {
      cmdlet: 'New-IntraOrganizationConnector',
      param: 'DiscoveryEndpoint',
      rest: { Name: 'IOC-endpoint', TargetAddressDomains: ['contoso.mail.onmicrosoft.com'] },
    },
    {
      cmdlet: 'New-IntraOrganizationConnector',
      param: 'TargetAddressDomains',
      rest: { Name: 'IOC-domains', DiscoveryEndpoint: discovery },
    },
    { cmdlet: 'Set-IntraOrganizationConnector', param: 'Identity', rest: { Enabled: true } },
    { cmdlet: 'Set-IntraOrganizationConnector', param: 'DiscoveryEndpoint', rest: { Identity: connector } },
    {
      cmdlet: 'Set-IntraOrganizationConnector',
      param: 'TargetAddressDomains',
      rest: { Identity: connector },
    },
    { cmdlet: 'New-SettingOverride', param: 'Name', rest: override },
    { cmdlet: 'New-SettingOverride', param: 'Reason', rest: { ...override, Name: 'Override-reason' } },
    { cmdlet: 'New-SettingOverride', param: 'Server', rest: { ...override, Name: 'Override-servers' } },
    { cmdlet: 'Get-SettingOverride', param: 'Identity' },
    { cmdlet: 'Remove-SettingOverride', param: 'Identity', rest: { Confirm: false } },
    { cmdlet: 'Test-OAuthConnectivity', param: 'TargetUri', rest: { Service: 'EWS' } },
    {
      cmdlet: 'Test-OAuthConnectivity',
      param: 'Mailbox',
      rest: { Service: 'EWS', TargetUri: 'https://mail.contoso.com/ews/' },
    },
  ];
}

/**
 * The commands that send `values` through one free-text parameter: one per value, or one list of them all. An
 * empty value is left out where the parameter is mandatory (PowerShell refuses it; see the test for that).
 */
function freeTextCommands({ cmdlet, param, rest = {} }: FreeText, values: readonly string[]): EmsCommand[] {
  const spec = CMDLET_SPECS[cmdlet].params[param] as ParamSpec;
  const usable = spec.required ? values.filter((value) => value !== '') : values;
  const command = (value: ParamValue): EmsCommand => ({ cmdlet, params: { ...rest, [param]: value } });
  return spec.kind === 'strings' ? [command(usable)] : usable.map(command);
}

/** How the relay's gate refuses `command`: its code and message. */
function gateRefusal(command: EmsCommand): { code: string; message: string } {
  try {
    validateCommand(command);
  } catch (error) {
    if (error instanceof CodedError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error(`the gate accepted ${JSON.stringify(command)}`);
}

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
    for (const command of ALL_SAMPLES) {
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

  it('refuses parameters of two parameter sets as the in-process org and the relay’s gate do', async () => {
    // -ClearPreviousCertificate is in Set-AuthConfig's PublishAuthCertificateParameter set, the date in another.
    const command: EmsCommand = {
      cmdlet: 'Set-AuthConfig',
      params: { ClearPreviousCertificate: true, NewCertificateEffectiveDate: '2025-03-01' },
    };
    const refused = await throughShell(command);
    expect(refused).toMatchObject({
      ok: false,
      error: { errorId: 'AmbiguousParameterSet,Set-AuthConfig', category: 'InvalidArgument' },
    });
    expect(await inProcess.execute(command)).toEqual(refused);
    expect(() => validateCommand(command)).toThrow(
      expect.objectContaining({ code: 'CONFLICTING_PARAMETERS' }),
    );
    expect(lab.state.org.commandLog).toEqual([]);
  });

  it('passes every hostile value to the org byte for byte, and evaluates none of them', async () => {
    const { dir, cleanup } = tempDir('hybridops-canary-');
    try {
      const values = hostileValues(dir);
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

  it('passes every hostile value of the hybrid cmdlets’ free-text parameters to the org byte for byte', async () => {
    const { dir, cleanup } = tempDir('hybridops-canary-');
    try {
      const values = hostileValues(dir);
      const commands = freeTextParameters(seed.org).flatMap((free) => freeTextCommands(free, values));
      for (const command of commands) {
        expect([command, await throughShell(command)]).toEqual([command, await inProcess.execute(command)]);
      }
      // The in-process org got the values as given: the shell's org logging the same got them byte for byte.
      const logOf = (state: LabState) =>
        state.org.commandLog.map(({ cmdlet, params }) => ({ cmdlet, params }));
      expect(logOf(lab.state)).toEqual(logOf(inProcessState));
      expect(logOf(lab.state)).toEqual(commands);
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      cleanup();
    }
  });

  it('refuses, as PowerShell does, an empty value for a mandatory parameter before it reaches the org', async () => {
    const commands = freeTextParameters(seed.org)
      .filter(({ cmdlet, param }) => CMDLET_SPECS[cmdlet].params[param]?.required)
      .map(({ cmdlet, param, rest = {} }): EmsCommand => {
        const empty = CMDLET_SPECS[cmdlet].params[param]?.kind === 'strings' ? ['a.contoso.com', ''] : '';
        return { cmdlet, params: { ...rest, [param]: empty } };
      });
    expect(commands.length).toBeGreaterThan(5);
    for (const command of commands) {
      const refused = await throughShell(command);
      expect([command, refused]).toEqual([
        command,
        expect.objectContaining({
          ok: false,
          error: expect.objectContaining({
            errorId: `ParameterArgumentValidationErrorEmptyStringNotAllowed,${command.cmdlet}`,
            category: 'InvalidData',
          }),
        }),
      ]);
      // The in-process org answers alike, and the relay's gate refuses it in the shell's words.
      expect([command, await inProcess.execute(command)]).toEqual([command, refused]);
      expect([command, gateRefusal(command)]).toEqual([
        command,
        { code: 'BAD_VALUE', message: `${command.cmdlet}: ${refused.ok ? '' : refused.error.message}` },
      ]);
    }
    expect(lab.state.org.commandLog).toEqual([]);
  });
});
