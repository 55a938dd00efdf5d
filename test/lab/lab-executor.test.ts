/** `npm run lab -- --executor lab|powershell`: how the lab's agent reaches the simulated org. */
import { SimulatedExchange } from '../../src/lab/exchange-org';
import { createLabState } from '../../src/lab/init';
import type { LabState } from '../../src/lab/state';
import { labAgentExecutor, parseLabArgs } from '../../src/playground/lab-executor';
import { DOMAIN, fixedClock } from '../support/lab-org';
import { describeWithShell } from '../support/pwsh';

const clock = fixedClock();

async function freshOrg(): Promise<{ state: LabState; exchange: SimulatedExchange }> {
  const state = await createLabState({ now: clock.now(), domain: DOMAIN });
  return { state, exchange: new SimulatedExchange(state, { clock, persist: () => undefined }) };
}

describe('npm run lab’s arguments', () => {
  it('runs the agent in-process unless --executor powershell is given', () => {
    expect(parseLabArgs([])).toEqual({ executor: 'lab' });
    expect(parseLabArgs(['--executor', 'powershell'])).toEqual({ executor: 'powershell' });
  });

  it('refuses another executor or option with the usage line', () => {
    expect(() => parseLabArgs(['--executor', 'bash'])).toThrow(
      '--executor must be lab or powershell, not "bash".\nUsage: npm run lab [-- --executor lab|powershell]',
    );
    expect(() => parseLabArgs(['--exchange', 'lab'])).toThrow(/Unknown option '--exchange'[\s\S]*Usage:/);
  });
});

describe('the lab agent’s powershell executor without PowerShell', () => {
  const path = process.env.PATH;
  afterEach(() => {
    process.env.PATH = path;
  });

  it('stops the lab at its start and says how to install pwsh', async () => {
    process.env.PATH = '/nonexistent';
    const { exchange } = await freshOrg();
    await expect(labAgentExecutor('powershell', exchange)).rejects.toThrow(
      '--executor powershell needs PowerShell 7 (pwsh) on PATH (dotnet tool install --global PowerShell --version 7.6.9',
    );
  });
});

describeWithShell('the lab agent’s powershell executor', () => {
  jest.setTimeout(60_000);

  it('runs jobs on the org through pwsh and HybridOps.Lab, and names its endpoint', async () => {
    const { state, exchange } = await freshOrg();
    const agent = await labAgentExecutor('powershell', exchange);
    try {
      expect(agent.via).toMatch(
        /^through pwsh and HybridOps\.Lab, whose endpoint is http:\/\/127\.0\.0\.1:\d+\//,
      );
      const outcome = await agent.executor.run(
        [{ cmdlet: 'Get-AcceptedDomain', params: { Identity: DOMAIN } }],
        30_000,
      );
      expect(outcome.results[0]).toMatchObject({
        ok: true,
        output: [expect.objectContaining({ DomainName: DOMAIN })],
      });
      expect(state.org.commandLog.map((entry) => entry.cmdlet)).toEqual(['Get-AcceptedDomain']);
    } finally {
      await agent.executor.close();
    }
  });
});
