/** The agent runs only what the pinned bot key signed for it, unexpired, once, allowlisted and valid. */
import { randomBytes } from 'node:crypto';
import { labExecutor } from '../../src/lab/relay-executor';
import type { ResultMessage } from '../../src/relay/protocol';
import { generateSigningKey, signPayload } from '../../src/relay/signing';
import { harness, type LabHarness } from '../lab/support';
import {
  HOSTILE_CMDLETS,
  HOSTILE_PARAMETER_NAMES,
  INERT_HOSTILE_VALUES,
  OUT_OF_FORM_COMMANDS,
  REFRESH_COMMAND,
  REFUSED_HOSTILE_VALUES,
} from './fixtures/hostile';
import { GET_MAIL_USER, jobPayload, type RawHub, sendSigned, startRawHub } from './raw-hub';
import { type AgentFixture, startAgent } from './support';

const AGENT = 'ex01';
const botKey = generateSigningKey();

let lab: LabHarness;
let hub: RawHub;
let agent: AgentFixture;

beforeEach(async () => {
  lab = await harness();
  hub = await startRawHub();
  agent = startAgent({
    hubUrl: hub.url,
    agentId: AGENT,
    secret: 'unused',
    botKey,
    executor: labExecutor(lab.exchange),
  });
  await agent.log.waitFor((event) => event.type === 'connected');
});

afterEach(async () => {
  await agent.stop();
  await hub.close();
});

async function resultFor(jobId: unknown): Promise<ResultMessage> {
  const message = await hub.received.waitFor(
    (m) => m.type === 'result' && m.jobId === jobId,
    10_000,
    `result of ${String(jobId)}`,
  );
  return message as ResultMessage;
}

async function expectRejected(payload: Record<string, unknown>, code: string, key = botKey): Promise<void> {
  sendSigned(hub, key, payload);
  const result = await resultFor(payload.jobId);
  expect({ status: result.status, code: result.error?.code }).toEqual({ status: 'rejected', code });
  expect(hub.received.count((m) => m.type === 'ack' && m.jobId === payload.jobId)).toBe(0);
  expect(lab.state.org.commandLog).toEqual([]);
}

/**
 * Waits until the agent refused a job it could not verify, then sends a valid job and waits for its result: by
 * then any answer to the first would have come (frames are answered in order), and none did.
 */
async function expectUnanswered(claimedJobId: unknown): Promise<void> {
  await agent.log.waitFor(
    (event) => event.type === 'job-refused' && event.code === 'BAD_SIGNATURE' && event.jobId === null,
  );
  const valid = jobPayload(AGENT, [GET_MAIL_USER]);
  sendSigned(hub, botKey, valid);
  await resultFor(valid.jobId);
  expect(hub.received.count((m) => 'jobId' in m && m.jobId === claimedJobId)).toBe(0);
  expect(lab.state.org.commandLog.map((entry) => entry.cmdlet)).toEqual(['Get-MailUser']);
}

describe('a relay agent', () => {
  it('runs a job signed by the pinned key and answers with the org’s result', async () => {
    const payload = jobPayload(AGENT, [GET_MAIL_USER]);
    sendSigned(hub, botKey, payload);
    const result = await resultFor(payload.jobId);
    expect(result.status).toBe('failed');
    expect(result.results[0]?.ok).toBe(false);
    // A result that is ready at once stands for the ack; there is never more than one of either.
    expect(hub.received.count((m) => m.type === 'ack' && m.jobId === payload.jobId)).toBeLessThanOrEqual(1);
    expect(hub.received.count((m) => m.type === 'result' && m.jobId === payload.jobId)).toBe(1);
    expect(lab.state.org.commandLog.map((entry) => entry.cmdlet)).toEqual(['Get-MailUser']);
  });

  it('answers nothing to a job signed by another key, not even a rejection for the job id it claims', async () => {
    const payload = jobPayload(AGENT, [GET_MAIL_USER]);
    sendSigned(hub, generateSigningKey(), payload);
    await expectUnanswered(payload.jobId);
  });

  it('answers nothing to a job whose payload was changed after signing', async () => {
    const payload = jobPayload(AGENT, [GET_MAIL_USER]);
    const signature = signPayload(botKey, JSON.stringify(payload));
    const tampered = {
      ...payload,
      commands: [{ cmdlet: 'Remove-PartnerApplication', params: { Identity: 'SfBOnline' } }],
    };
    hub.sendFrame(JSON.stringify(tampered), signature);
    await expectUnanswered(payload.jobId);
  });

  it('answers nothing to an unsigned job (a signature of zeros)', async () => {
    const payload = jobPayload(AGENT, [GET_MAIL_USER]);
    hub.sendFrame(JSON.stringify(payload), Buffer.alloc(64).toString('base64'));
    await expectUnanswered(payload.jobId);
  });

  it('rejects an expired job', async () => {
    await expectRejected(jobPayload(AGENT, [GET_MAIL_USER], { expiresAt: Date.now() - 1 }), 'JOB_EXPIRED');
  });

  it('rejects a job that claims to stay valid for a day', async () => {
    await expectRejected(
      jobPayload(AGENT, [GET_MAIL_USER], { expiresAt: Date.now() + 86_400_000 }),
      'JOB_TOO_LONG_LIVED',
    );
  });

  it('rejects a job signed for another agent', async () => {
    await expectRejected(jobPayload('ex02', [GET_MAIL_USER]), 'WRONG_AGENT');
  });

  it('rejects a replayed nonce and never runs the same job twice', async () => {
    const nonce = randomBytes(18).toString('base64url');
    const first = jobPayload(AGENT, [GET_MAIL_USER], { nonce });
    const text = sendSigned(hub, botKey, first);
    await resultFor(first.jobId);
    // The identical frame again: answered from the journal, not run.
    hub.sendFrame(text, signPayload(botKey, text));
    await hub.received.waitFor(
      (m) =>
        m.type === 'result' &&
        m.jobId === first.jobId &&
        hub.received.count((x) => x.type === 'result' && x.jobId === first.jobId) === 2,
    );
    const replay = jobPayload(AGENT, [GET_MAIL_USER], { nonce });
    sendSigned(hub, botKey, replay);
    expect((await resultFor(replay.jobId)).error?.code).toBe('REPLAYED_NONCE');
    expect(lab.state.org.commandLog).toHaveLength(1);
  });

  it.each(HOSTILE_CMDLETS)('rejects the non-allowlisted cmdlet %j', async (cmdlet) => {
    await expectRejected(jobPayload(AGENT, [{ cmdlet, params: {} }]), 'NOT_ALLOWED');
  });

  it.each(HOSTILE_PARAMETER_NAMES)('rejects the parameter name %j', async (name) => {
    const params = JSON.parse(`{${JSON.stringify(name)}: "x"}`) as Record<string, unknown>;
    await expectRejected(jobPayload(AGENT, [{ cmdlet: 'Get-MailUser', params }]), 'NOT_ALLOWED');
  });

  it.each(REFUSED_HOSTILE_VALUES.map((value) => [JSON.stringify(value).slice(0, 40), value]))(
    'rejects the value %s, which the command model refuses',
    async (_label, value) => {
      await expectRejected(
        jobPayload(AGENT, [{ cmdlet: 'Get-MailUser', params: { Identity: value } }]),
        'NOT_ALLOWED',
      );
    },
  );

  it('passes values the model accepts to the org as inert data, exactly as sent', async () => {
    const commands = INERT_HOSTILE_VALUES.map((value) => ({
      cmdlet: 'Get-MailUser',
      params: { Identity: value },
    }));
    const payload = jobPayload(AGENT, commands, { mode: 'reads' });
    sendSigned(hub, botKey, payload);
    const result = await resultFor(payload.jobId);
    expect(result.results).toHaveLength(INERT_HOSTILE_VALUES.length);
    expect(lab.state.org.commandLog.map((entry) => [entry.cmdlet, entry.params.Identity])).toEqual(
      INERT_HOSTILE_VALUES.map((value) => ['Get-MailUser', value]),
    );
  });

  it('rejects a batch of reads that smuggles in a mutating cmdlet', async () => {
    const remove = { cmdlet: 'Remove-PartnerApplication', params: { Identity: 'SfBOnline', Confirm: false } };
    await expectRejected(
      jobPayload(AGENT, [GET_MAIL_USER, remove], { mode: 'reads' }),
      'MUTATING_IN_READ_BATCH',
    );
  });

  it.each(OUT_OF_FORM_COMMANDS.map((command, i) => [`${i}: ${command.cmdlet}`, command]))(
    'rejects an allowlisted cmdlet used beyond the form the procedures use (%s)',
    async (_label, command) => {
      await expectRejected(jobPayload(AGENT, [command]), 'NOT_ALLOWED');
    },
  );

  it('rejects the setting override refresh in a batch of reads', async () => {
    await expectRejected(
      jobPayload(AGENT, [GET_MAIL_USER, REFRESH_COMMAND], { mode: 'reads' }),
      'MUTATING_IN_READ_BATCH',
    );
  });

  it('rejects a single job carrying two commands', async () => {
    await expectRejected(jobPayload(AGENT, [GET_MAIL_USER, GET_MAIL_USER]), 'NOT_ALLOWED');
  });

  it('drops the connection on a malformed frame and reconnects', async () => {
    const before = agent.log.count((event) => event.type === 'connected');
    hub.sendText('{"v":1,"type":"job","payload":');
    await agent.log.waitFor((event) => event.type === 'disconnected' && event.code === 1008);
    await agent.log.waitFor(() => agent.log.count((event) => event.type === 'connected') > before);
    expect(lab.state.org.commandLog).toEqual([]);
  });
});
