import { SimulatedExchange } from '../../src/lab/exchange-org';
import type { LabState } from '../../src/lab/state';
import { errorOf, FixedClock, freshState, harness, T0 } from './support';

const teamsScheduler = {
  Name: 'TeamsScheduler',
  ApplicationAccount: true,
  ExternalEmailAddress: 'TeamsScheduler-ApplicationAccount@contoso.com',
  DomainController: 'dc01.contoso.com',
};

describe('the simulated Exchange org', () => {
  it('logs every command, successful or not, reads included', async () => {
    const lab = await harness();
    await lab.run('New-MailUser', teamsScheduler);
    await lab.run('New-MailUser', teamsScheduler);
    await lab.run('Get-AuthConfig');
    expect(lab.state.org.commandLog).toEqual([
      { at: T0.toISOString(), cmdlet: 'New-MailUser', params: teamsScheduler, mutating: true, ok: true },
      {
        at: T0.toISOString(),
        cmdlet: 'New-MailUser',
        params: teamsScheduler,
        mutating: true,
        ok: false,
        error: 'The name "TeamsScheduler" is already being used. Please try another name.',
      },
      { at: T0.toISOString(), cmdlet: 'Get-AuthConfig', params: {}, mutating: false, ok: true },
    ]);
  });

  it('persists the change and its log entry before the result resolves', async () => {
    const state = await freshState();
    const snapshots: LabState[] = [];
    let resolved = false;
    const exchange = new SimulatedExchange(state, {
      clock: new FixedClock(),
      persist: () => {
        expect(resolved).toBe(false);
        snapshots.push(structuredClone(state));
      },
    });
    const pending = exchange.execute({ cmdlet: 'New-MailUser', params: teamsScheduler });
    const result = await pending.then((r) => {
      resolved = true;
      return r;
    });
    expect(result.ok).toBe(true);
    expect(snapshots).toHaveLength(1);
    expect(snapshots[0]?.org.mailUsers.map((u) => u.name)).toEqual(['TeamsScheduler']);
    expect(snapshots[0]?.org.commandLog).toHaveLength(1);
  });

  it('waits the configured latency once per cmdlet through the injected sleep', async () => {
    const state = await freshState({ latencyMs: 250 });
    const waits: number[] = [];
    const exchange = new SimulatedExchange(state, {
      clock: new FixedClock(),
      persist: () => undefined,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    await exchange.executeReads([
      { cmdlet: 'Get-AuthConfig', params: {} },
      { cmdlet: 'Get-PartnerApplication', params: {} },
    ]);
    expect(waits).toEqual([250, 250]);
  });

  it('answers an unknown -DomainController with the directory-unavailable error and changes nothing', async () => {
    const lab = await harness();
    const error = errorOf(
      await lab.run('New-MailUser', { ...teamsScheduler, DomainController: 'dc99.contoso.com' }),
    );
    expect(error.message).toBe(
      'Active directory server dc99.contoso.com is not available. Error message: Active directory response: The LDAP server is unavailable.',
    );
    expect(lab.state.org.mailUsers).toEqual([]);
  });

  it('names the -DomainController it was given in not-found errors, else the first DC', async () => {
    const lab = await harness();
    lab.state.org.domainControllers.push('dc02.contoso.com');
    expect(
      errorOf(await lab.run('Get-MailUser', { Identity: 'Nobody', DomainController: 'DC02.contoso.com' }))
        .message,
    ).toBe(
      "The operation couldn't be performed because object 'Nobody' couldn't be found on 'DC02.contoso.com'.",
    );
    expect(errorOf(await lab.run('Get-MailUser', { Identity: 'Nobody' })).message).toBe(
      "The operation couldn't be performed because object 'Nobody' couldn't be found on 'dc01.contoso.com'.",
    );
  });

  it('refuses a mutating cmdlet inside a read batch without running it', async () => {
    const lab = await harness();
    const [read, write] = await lab.exchange.executeReads([
      { cmdlet: 'Get-AuthConfig', params: {} },
      { cmdlet: 'New-MailUser', params: teamsScheduler },
    ]);
    expect(read?.ok).toBe(true);
    expect(write?.ok).toBe(false);
    expect(lab.state.org.mailUsers).toEqual([]);
  });

  it('runs concurrent commands one at a time in call order', async () => {
    const lab = await harness();
    const results = await Promise.all([
      lab.run('New-MailUser', teamsScheduler),
      lab.run('Get-MailUser', { Identity: 'TeamsScheduler' }),
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, true]);
    expect(lab.state.org.commandLog.map((e) => e.cmdlet)).toEqual(['New-MailUser', 'Get-MailUser']);
  });

  it('rejects when the state could not be persisted, since the outcome on disk is then unknown', async () => {
    const state = await freshState();
    const exchange = new SimulatedExchange(state, {
      clock: new FixedClock(),
      persist: () => {
        throw new Error('disk full');
      },
    });
    await expect(exchange.execute({ cmdlet: 'Get-AuthConfig', params: {} })).rejects.toThrow('disk full');
  });

  it('refuses an empty value for a mandatory parameter in PowerShell’s words and changes nothing', async () => {
    const lab = await harness();
    const connectors = structuredClone(lab.state.org.intraOrganizationConnectors);
    expect(errorOf(await lab.run('New-MailUser', { ...teamsScheduler, Name: '' }))).toEqual({
      message: "Cannot bind argument to parameter 'Name' because it is an empty string.",
      category: 'InvalidData',
      errorId: 'ParameterArgumentValidationErrorEmptyStringNotAllowed,New-MailUser',
    });
    const connector = { Name: 'IOC', DiscoveryEndpoint: 'https://x/autodiscover/autodiscover.svc' };
    expect(
      errorOf(await lab.run('New-IntraOrganizationConnector', { ...connector, TargetAddressDomains: [] })),
    ).toEqual({
      message: "Cannot bind argument to parameter 'TargetAddressDomains' because it is an empty array.",
      category: 'InvalidData',
      errorId: 'ParameterArgumentValidationErrorEmptyArrayNotAllowed,New-IntraOrganizationConnector',
    });
    expect(lab.state.org.mailUsers).toEqual([]);
    expect(lab.state.org.intraOrganizationConnectors).toEqual(connectors);
  });

  it('refuses parameters of two parameter sets, as PowerShell’s binder does, and changes nothing', async () => {
    const lab = await harness();
    const before = structuredClone(lab.state.org.authConfig);
    const error = errorOf(
      await lab.run('Set-AuthConfig', {
        ClearPreviousCertificate: true,
        NewCertificateEffectiveDate: T0.toISOString(),
      }),
    );
    expect(error.errorId).toBe('AmbiguousParameterSet,Set-AuthConfig');
    expect(error.message).toMatch(/^Parameter set cannot be resolved using the specified named parameters\./);
    expect(lab.state.org.authConfig).toEqual(before);
  });

  it("answers a cmdlet the session does not know with PowerShell's command-not-found error", async () => {
    const lab = await harness();
    const result = await lab.exchange.execute({ cmdlet: 'Remove-MailUser' as never, params: {} });
    expect(errorOf(result).message).toBe(
      "The term 'Remove-MailUser' is not recognized as the name of a cmdlet, function, script file, or operable program.",
    );
  });
});
