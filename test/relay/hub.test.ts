/** The hub admits only registered, unrevoked agents, survives bad frames, and stores each result once. */
import net from 'node:net';
import { WebSocket } from 'ws';
import { registerAgent, rotateAgentKey } from '../../src/relay/agent-registry';
import { RelayEmsRunner } from '../../src/relay/ems-runner';
import { noopExecutor } from '../../src/relay/executors/noop';
import { MAX_FRAME_BYTES, PROTOCOL_VERSION } from '../../src/relay/protocol';
import { type HubFixture, startAgent, startHub } from './support';

let hub: HubFixture;
beforeEach(async () => {
  hub = await startHub();
});
afterEach(() => hub.close());

const now = () => new Date().toISOString();

function agentFor(id: string, secret: string) {
  return startAgent({
    hubUrl: hub.url,
    agentId: id,
    secret,
    botKey: hub.signingKey,
    executor: noopExecutor(),
  });
}

/** A raw client that authenticates like an agent; resolves once open (or with the HTTP status it was refused with). */
function rawClient(id: string, secret: string): Promise<{ ws: WebSocket; status: number }> {
  const ws = new WebSocket(hub.url, {
    headers: { authorization: `Bearer ${secret}`, 'x-hybridops-agent': id },
  });
  ws.on('error', () => undefined);
  return new Promise((resolve) => {
    ws.once('open', () => resolve({ ws, status: 101 }));
    ws.once('unexpected-response', (_req, res) => resolve({ ws, status: res.statusCode ?? 0 }));
  });
}

const closed = (ws: WebSocket) => new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));

/** The hello an agent sends first, as agent ex01 with no jobs in flight. */
function sendHello(ws: { send(data: string): void }): void {
  ws.send(
    JSON.stringify({
      v: PROTOCOL_VERSION,
      type: 'hello',
      agentId: 'ex01',
      version: 't',
      capabilities: [],
      inFlight: [],
    }),
  );
}

/**
 * Sends a WebSocket upgrade request on a raw socket that never closes its own side, and resolves with what the
 * server answered and whether the server let go of the connection within two seconds.
 */
async function rawUpgrade(
  target: string,
  headers: Record<string, string> = {},
): Promise<{ answer: string; released: boolean }> {
  const { port } = hub.server.address() as net.AddressInfo;
  const socket = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  let answer = '';
  socket.on('data', (data) => {
    answer += String(data);
  });
  socket.on('error', () => undefined);
  await new Promise((resolve) => socket.once('connect', resolve));
  const lines = [
    `GET ${target} HTTP/1.1`,
    'Host: 127.0.0.1',
    'Upgrade: websocket',
    'Connection: Upgrade',
    'Sec-WebSocket-Version: 13',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  const connections = () =>
    new Promise<number>((resolve, reject) =>
      hub.server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
    );
  const deadline = Date.now() + 5_000;
  // The server counts the connection only once it has accepted it: wait for its answer before counting.
  while (!answer.includes('\r\n') && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  let released = false;
  while (!released && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    released = (await connections()) === 0;
  }
  socket.destroy();
  return { answer, released };
}

describe('the relay hub', () => {
  it.each([
    ['another path', '/api/messages'],
    ['the root', '/'],
    ['a path no URL parser reads', '//'],
  ])('answers an upgrade on %s with 404 and closes the connection', async (_case, target) => {
    const { answer, released } = await rawUpgrade(target);
    expect(answer).toMatch(/^HTTP\/1\.1 404 /);
    expect(released).toBe(true);
  });

  it.each([
    ['no credential', {}],
    ['an unknown agent', { 'x-hybridops-agent': 'ghost', authorization: `Bearer ${'C'.repeat(43)}` }],
  ])(
    'closes an upgrade on the relay path with %s, even when the client keeps its side open',
    async (_case, headers) => {
      const { answer, released } = await rawUpgrade('/relay', headers);
      expect(answer).toMatch(/^HTTP\/1\.1 401 /);
      expect(released).toBe(true);
    },
  );

  it('refuses an agent presenting the wrong credential, with 401 and no connection', async () => {
    await registerAgent(hub.store, 'ex01', now());
    const agent = agentFor('ex01', 'A'.repeat(43));
    await agent.log.waitFor((event) => event.type === 'refused-by-hub' && event.status === 401);
    expect(hub.hub.isConnected('ex01')).toBe(false);
    await agent.stop();
  });

  it('refuses an agent id it has never registered', async () => {
    expect((await rawClient('ghost', 'B'.repeat(43))).status).toBe(401);
  });

  it('refuses a revoked agent, and cuts off a connected one when it is revoked', async () => {
    const secret = await registerAgent(hub.store, 'ex01', now());
    const agent = agentFor('ex01', secret);
    await agent.log.waitFor((event) => event.type === 'connected');
    expect(await hub.hub.revokeAgent('ex01')).toBe(true);
    await agent.log.waitFor((event) => event.type === 'disconnected' && event.code === 4003);
    await agent.log.waitFor((event) => event.type === 'refused-by-hub' && event.status === 401);
    expect(hub.hub.isConnected('ex01')).toBe(false);
    await agent.stop();
    expect((await rawClient('ex01', secret)).status).toBe(401);
  });

  it('accepts a rotated key and refuses the old one', async () => {
    const old = await registerAgent(hub.store, 'ex01', now());
    const fresh = await rotateAgentKey(hub.store, 'ex01', now());
    expect((await rawClient('ex01', old)).status).toBe(401);
    const { ws, status } = await rawClient('ex01', fresh);
    expect(status).toBe(101);
    ws.terminate();
  });

  it.each([
    ['text that is not JSON', 'hello?', 1008],
    [
      'a message of an unknown type',
      JSON.stringify({ v: PROTOCOL_VERSION, type: 'shell', script: 'Remove-Item C:\\' }),
      1008,
    ],
    ['a job result before hello', JSON.stringify({ v: PROTOCOL_VERSION, type: 'ack', jobId: 'x' }), 1008],
    ['a frame over the size limit', 'x'.repeat(MAX_FRAME_BYTES + 1), 1009],
  ])('closes a connection that sends %s and keeps serving other agents', async (_what, frame, code) => {
    const good = agentFor('good', await registerAgent(hub.store, 'good', now()));
    await good.log.waitFor((event) => event.type === 'connected');
    const { ws } = await rawClient('bad', await registerAgent(hub.store, 'bad', now()));
    const closing = closed(ws);
    ws.send(frame);
    expect(await closing).toBe(code);
    const ems = new RelayEmsRunner(hub.hub, { agentId: 'good' });
    await expect(ems.run({ cmdlet: 'Get-AuthConfig', params: {} })).resolves.toEqual({
      ok: true,
      output: [],
    });
    expect(hub.hub.isConnected('good')).toBe(true);
    await good.stop();
  });

  it('stores a result once however often the agent sends it, and acknowledges every copy', async () => {
    const { ws } = await rawClient('ex01', await registerAgent(hub.store, 'ex01', now()));
    const frames: Record<string, unknown>[] = [];
    ws.on('message', (data) => frames.push(JSON.parse(String(data)) as Record<string, unknown>));
    sendHello(ws);
    await hub.hub.waitForAgent('ex01', 5_000);
    const outcome = hub.hub.dispatch({
      agentId: 'ex01',
      mode: 'single',
      commands: [{ cmdlet: 'Get-AuthConfig', params: {} }],
    });
    const job = await until(() => frames.find((frame) => frame.type === 'job'));
    const { jobId } = JSON.parse(String(job.payload)) as { jobId: string };
    const result = (output: string) =>
      JSON.stringify({
        v: PROTOCOL_VERSION,
        type: 'result',
        jobId,
        status: 'succeeded',
        results: [{ ok: true, output: [{ Name: output }] }],
        error: null,
        durationMs: 1,
      });
    ws.send(result('first'));
    ws.send(result('second'));
    await until(() =>
      frames.flatMap((frame) => (frame.type === 'result-ack' ? (frame.jobIds as string[]) : [])).length === 2
        ? true
        : undefined,
    );
    expect((await outcome).results).toEqual([{ ok: true, output: [{ Name: 'first' }] }]);
    expect(JSON.parse((await hub.store.getJob(jobId))?.outcome ?? '{}').results[0].output[0].Name).toBe(
      'first',
    );
    ws.terminate();
  });

  it('takes progress and results for a job only from the agent it was sent to', async () => {
    const owner = await rawClient('ex01', await registerAgent(hub.store, 'ex01', now()));
    const other = await rawClient('ex02', await registerAgent(hub.store, 'ex02', now()));
    const frames: Record<string, unknown>[] = [];
    owner.ws.on('message', (data) => frames.push(JSON.parse(String(data)) as Record<string, unknown>));
    sendHello(owner.ws);
    other.ws.send(
      JSON.stringify({
        v: PROTOCOL_VERSION,
        type: 'hello',
        agentId: 'ex02',
        version: 't',
        capabilities: [],
        inFlight: [],
      }),
    );
    await hub.hub.waitForAgent('ex01', 5_000);
    await hub.hub.waitForAgent('ex02', 5_000);
    const progress: string[] = [];
    const outcome = hub.hub.dispatch({
      agentId: 'ex01',
      mode: 'reads',
      commands: [
        { cmdlet: 'Get-AuthConfig', params: {} },
        { cmdlet: 'Get-AuthServer', params: {} },
      ],
      onProgress: (done, of) => progress.push(`${done}/${of}`),
    });
    const job = await until(() => frames.find((frame) => frame.type === 'job'));
    const { jobId } = JSON.parse(String(job.payload)) as { jobId: string };
    const result = (name: string) =>
      JSON.stringify({
        v: PROTOCOL_VERSION,
        type: 'result',
        jobId,
        status: 'succeeded',
        results: [
          { ok: true, output: [{ Name: name }] },
          { ok: true, output: [] },
        ],
        error: null,
        durationMs: 1,
      });
    // The other agent claims the job: its progress and its result count for nothing.
    const handled = (warning: RegExp) =>
      until(() => (progress.length > 0 || hub.warnings.some((w) => warning.test(w)) ? true : undefined));
    other.ws.send(JSON.stringify({ v: PROTOCOL_VERSION, type: 'progress', jobId, done: 2, of: 2 }));
    await handled(/progress for another agent’s job ignored/);
    other.ws.send(result('forged'));
    await handled(/result for another agent’s job ignored/);
    expect(progress).toEqual([]);
    owner.ws.send(JSON.stringify({ v: PROTOCOL_VERSION, type: 'progress', jobId, done: 1, of: 2 }));
    await until(() => (progress.length > 0 ? true : undefined));
    owner.ws.send(result('real'));
    expect((await outcome).results[0]).toEqual({ ok: true, output: [{ Name: 'real' }] });
    expect(progress).toEqual(['1/2']);
    owner.ws.terminate();
    other.ws.terminate();
  });

  it('sends nothing to an agent that is not connected and says so', async () => {
    await registerAgent(hub.store, 'ex01', now());
    await expect(
      hub.hub.dispatch({
        agentId: 'ex01',
        mode: 'single',
        commands: [{ cmdlet: 'Get-AuthConfig', params: {} }],
      }),
    ).rejects.toMatchObject({ code: 'AGENT_NOT_CONNECTED' });
    expect(await hub.store.openJobCount('ex01')).toBe(0);
  });

  it('gives the engine an unknown outcome when no result comes back in time', async () => {
    const { ws } = await rawClient('ex01', await registerAgent(hub.store, 'ex01', now()));
    sendHello(ws);
    await hub.hub.waitForAgent('ex01', 5_000);
    const ems = new RelayEmsRunner(hub.hub, { agentId: 'ex01', timeoutMs: 50 });
    await expect(ems.run({ cmdlet: 'Get-AuthConfig', params: {} })).rejects.toMatchObject({
      code: 'OUTCOME_UNKNOWN',
    });
    ws.terminate();
  });

  it('gives up on a short job in time even while a longer one is still waiting', async () => {
    const { ws } = await rawClient('ex01', await registerAgent(hub.store, 'ex01', now()));
    sendHello(ws);
    await hub.hub.waitForAgent('ex01', 5_000);
    const command = { cmdlet: 'Get-AuthConfig', params: {} } as const;
    const long = hub.hub.dispatch({
      agentId: 'ex01',
      mode: 'single',
      commands: [command],
      timeoutMs: 60_000,
    });
    const longSettled = long.then(
      () => 'resolved',
      (error: { code?: string }) => error.code,
    );
    await expect(
      hub.hub.dispatch({ agentId: 'ex01', mode: 'single', commands: [command], timeoutMs: 50 }),
    ).rejects.toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    expect(await hub.store.openJobCount('ex01')).toBe(1);
    await hub.hub.close();
    expect(await longSettled).toBe('OUTCOME_UNKNOWN');
    ws.terminate();
  });

  it('lists agents with connection, version and jobs in flight for the operator', async () => {
    await registerAgent(hub.store, 'idle', now());
    const { ws } = await rawClient('busy', await registerAgent(hub.store, 'busy', now()));
    ws.send(
      JSON.stringify({
        v: PROTOCOL_VERSION,
        type: 'hello',
        agentId: 'busy',
        version: '1.2.3',
        capabilities: [],
        inFlight: [],
      }),
    );
    await hub.hub.waitForAgent('busy', 5_000);
    void hub.hub
      .dispatch({ agentId: 'busy', mode: 'single', commands: [{ cmdlet: 'Get-AuthConfig', params: {} }] })
      .catch(() => undefined);
    expect(
      (await hub.hub.listAgents()).map(({ id, connected, version, jobsInFlight, revoked }) => ({
        id,
        connected,
        version,
        jobsInFlight,
        revoked,
      })),
    ).toEqual([
      { id: 'busy', connected: true, version: '1.2.3', jobsInFlight: 1, revoked: false },
      { id: 'idle', connected: false, version: null, jobsInFlight: 0, revoked: false },
    ]);
    ws.terminate();
  });
});

/** Waits (bounded, on the event loop) until `probe` returns something. */
async function until<T>(probe: () => T | undefined, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setImmediate(resolve));
  }
}
