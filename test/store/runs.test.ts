import type { NewRun, NewStep } from '../../src/store/run-repository';
import type { NewAuditEntry } from '../../src/store/types';
import { describeEachStore, expectDriverError, storesOn } from './support';

const run = (id: string, overrides: Partial<NewRun> = {}): NewRun => ({
  id,
  runbook: 'teams',
  target: 'contoso.com',
  inputs: '{"domain":"contoso.com"}',
  requestedBy: 'alice@contoso.com',
  approvedBy: 'bob@contoso.com',
  createdAt: '2026-03-01T10:00:00.000Z',
  ...overrides,
});

const steps: NewStep[] = [
  {
    stepId: 'auth-server',
    position: 0,
    title: 'Auth server',
    state: 'pending',
    change: 'create',
    error: null,
  },
  {
    stepId: 'partner-app',
    position: 1,
    title: 'Partner app',
    state: 'pending',
    change: 'update',
    error: null,
  },
];

const audit = (action: string, at: string): NewAuditEntry => ({
  at,
  actor: 'alice@contoso.com',
  action,
  runId: 'run-1',
  runbook: 'teams',
  target: 'contoso.com',
  detail: `${action} detail`,
  outcome: null,
  durationMs: null,
});

describeEachStore('the run journal', (target) => {
  const stores = storesOn(target);

  it('creates a run with its steps, journals their states and finishes it', async () => {
    const { runs } = await stores.open();
    await runs.createRun(run('run-1'), steps);
    await runs.setStepState('run-1', 'auth-server', 'succeeded');
    await runs.setStepState('run-1', 'partner-app', 'failed', 'Access denied');
    expect(await runs.findUnfinishedRun('teams', 'contoso.com', '{"domain":"contoso.com"}')).toMatchObject({
      id: 'run-1',
      state: 'running',
      finishedAt: null,
    });
    await runs.finishRun('run-1', 'failed', '2026-03-01T10:05:00.000Z');

    expect(await runs.getRun('run-1')).toEqual({
      ...run('run-1'),
      state: 'failed',
      finishedAt: '2026-03-01T10:05:00.000Z',
    });
    expect(await runs.listSteps('run-1')).toEqual([
      { ...steps[0], runId: 'run-1', state: 'succeeded', error: null },
      { ...steps[1], runId: 'run-1', state: 'failed', error: 'Access denied' },
    ]);
    expect(await runs.findUnfinishedRun('teams', 'contoso.com', '{"domain":"contoso.com"}')).toBeNull();
    expect(await runs.getRun('no-such-run')).toBeNull();
  });

  it('writes nothing of a run whose steps cannot be saved', async () => {
    const { runs } = await stores.open();
    const twice = [steps[0], steps[0]] as NewStep[];
    await expectDriverError(runs.createRun(run('run-1'), twice), /UNIQUE constraint|duplicate key/);
    expect(await runs.getRun('run-1')).toBeNull();
  });

  it('journals a command once however often it starts, in the order commands first started', async () => {
    const { runs } = await stores.open();
    await runs.createRun(run('run-1'), steps);
    await runs.startCommand('run-1', 'auth-server', "New-AuthServer -Name 'ACS'", '2026-03-01T10:01:00.000Z');
    await runs.startCommand(
      'run-1',
      'partner-app',
      "Set-PartnerApplication -Name 'T'",
      '2026-03-01T10:02:00.000Z',
    );
    await runs.finishCommand('run-1', "New-AuthServer -Name 'ACS'", 'failed', 12.6, 'timeout');
    // Resumed after the outcome was unknown: the same command starts again.
    await runs.startCommand('run-1', 'auth-server', "New-AuthServer -Name 'ACS'", '2026-03-01T10:03:00.000Z');

    expect(await runs.listCommands('run-1')).toEqual([
      {
        runId: 'run-1',
        stepId: 'auth-server',
        text: "New-AuthServer -Name 'ACS'",
        state: 'started',
        startedAt: '2026-03-01T10:03:00.000Z',
        durationMs: 13,
        result: 'timeout',
      },
      {
        runId: 'run-1',
        stepId: 'partner-app',
        text: "Set-PartnerApplication -Name 'T'",
        state: 'started',
        startedAt: '2026-03-01T10:02:00.000Z',
        durationMs: null,
        result: null,
      },
    ]);
  });

  it('lists runs newest first, narrowed by state, runbook, target, requester, id and time, up to a limit', async () => {
    const { runs } = await stores.open();
    await runs.createRun(run('a1111111', { createdAt: '2026-03-01T10:00:00.000Z' }), []);
    await runs.createRun(
      run('b2222222', { createdAt: '2026-03-02T10:00:00.000Z', runbook: 'sfb-online' }),
      [],
    );
    await runs.createRun(
      run('c3333333', { createdAt: '2026-03-03T10:00:00.000Z', requestedBy: 'carol' }),
      [],
    );
    await runs.createRun(
      run('c4444444', { createdAt: '2026-03-04T10:00:00.000Z', target: 'fabrikam.com' }),
      [],
    );
    await runs.finishRun('a1111111', 'succeeded', '2026-03-01T10:10:00.000Z');
    const ids = async (query: Parameters<typeof runs.listRuns>[0]) =>
      (await runs.listRuns(query)).map((found) => found.id);

    expect(await ids({})).toEqual(['c4444444', 'c3333333', 'b2222222', 'a1111111']);
    expect(await ids({ state: 'succeeded' })).toEqual(['a1111111']);
    expect(await ids({ state: ['running'], limit: 2 })).toEqual(['c4444444', 'c3333333']);
    expect(await ids({ state: [] })).toEqual([]);
    expect(await ids({ runbook: 'sfb-online' })).toEqual(['b2222222']);
    expect(await ids({ target: 'fabrikam.com' })).toEqual(['c4444444']);
    expect(await ids({ requestedBy: 'carol' })).toEqual(['c3333333']);
    expect(await ids({ idPrefix: 'C3' })).toEqual(['c3333333']);
    expect(await ids({ idPrefix: 'c' })).toEqual(['c4444444', 'c3333333']);
    expect(await ids({ since: '2026-03-02T10:00:00.000Z', before: '2026-03-04T00:00:00.000Z' })).toEqual([
      'c3333333',
      'b2222222',
    ]);
  });

  it('keeps the newest audit entries and reads them oldest first', async () => {
    const { runs } = await stores.open();
    for (const [index, action] of ['run.started', 'command', 'run.finished'].entries()) {
      await runs.appendAudit({ ...audit(action, `2026-03-01T10:0${index}:00.000Z`), durationMs: index });
    }
    const entries = await runs.listAudit();
    expect(entries.map((entry) => entry.action)).toEqual(['run.started', 'command', 'run.finished']);
    expect(entries[0]).toEqual({
      seq: expect.any(Number),
      ...audit('run.started', '2026-03-01T10:00:00.000Z'),
      durationMs: 0,
    });
    expect(entries[1]?.seq).toBeGreaterThan(entries[0]?.seq ?? Number.POSITIVE_INFINITY);
    expect((await runs.listAudit(2)).map((entry) => entry.action)).toEqual(['command', 'run.finished']);
  });

  it('reads one run’s audit entries by id prefix, a page back from the newest', async () => {
    const { runs } = await stores.open();
    for (const [index, runId] of ['aa11-1', 'bb22-1', 'AA11-1', 'aa11-1'].entries()) {
      await runs.appendAudit({ ...audit(`entry.${index}`, '2026-03-01T10:00:00.000Z'), runId });
    }
    const actions = async (limit: number, filter: { runIdPrefix?: string; offset?: number }) =>
      (await runs.listAudit(limit, filter)).map((entry) => entry.action);
    expect(await actions(10, { runIdPrefix: 'aa1' })).toEqual(['entry.0', 'entry.2', 'entry.3']);
    expect(await actions(1, { runIdPrefix: 'aa1', offset: 1 })).toEqual(['entry.2']);
    expect(await actions(2, { offset: 2 })).toEqual(['entry.0', 'entry.1']);
    expect(await actions(10, { runIdPrefix: "a%' or 1=1 --" })).toEqual([]);
  });

  it('refuses to change or delete an audit entry, even from a SQL prompt', async () => {
    const store = await stores.open();
    await store.runs.appendAudit(audit('approval.decided', '2026-03-01T10:00:00.000Z'));
    await expectDriverError(
      target.execute(store.url, "UPDATE audit_log SET actor = 'mallory'"),
      /the audit log is append-only/,
    );
    await expectDriverError(
      target.execute(store.url, 'DELETE FROM audit_log'),
      /the audit log is append-only/,
    );
    if (target.name === 'PostgreSQL') {
      await expectDriverError(
        target.execute(store.url, 'TRUNCATE audit_log'),
        /the audit log is append-only/,
      );
    }
    expect(await store.runs.listAudit()).toEqual([
      { seq: expect.any(Number), ...audit('approval.decided', '2026-03-01T10:00:00.000Z') },
    ]);
  });
});
