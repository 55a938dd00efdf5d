/**
 * `npm run lab`'s world as it starts: two simulated orgs, one relay agent each, the bot serving both, and the
 * Agents Playground with one admin channel per org. Each channel's commands reach that org's agent and files only.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { VERBS } from '../../src/bot/cards/elements';
import { loadConfig } from '../../src/config/load-config';
import { loadLabFile } from '../../src/lab/lab-file';
import { LAB_ADMIN_CHANNEL_ID, LAB_FABRIKAM_CHANNEL_ID, labBotEnv } from '../../src/playground/identities';
import { type LabWorld, startLabWorld } from '../../src/playground/lab-world';
import { connectPlayground, type Frame, frameText, freePort, type PlaygroundClient } from './support';

const ALEX = 'user-id-0'; // operator and approver at both orgs
const LEE = 'user-id-2'; // approver at contoso.com only
const ISAIAH = 'user-id-4'; // approver at fabrikam.com only

describe('the lab with two orgs in the Agents Playground', () => {
  let dir: string;
  let world: LabWorld;
  let client: PlaygroundClient;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hybridops-lab-orgs-'));
    world = await startLabWorld({
      config: loadConfig({ ...labBotEnv(), LOG_LEVEL: 'silent' }),
      dir,
      executor: 'lab',
      logger: pino({ level: 'silent' }),
      user: 0,
      playgroundPort: await freePort(),
      botPort: 0,
      updateIntervalMs: 150,
    });
    client = await connectPlayground(world.playgroundUrl);
  }, 90_000);
  afterAll(async () => {
    client?.close();
    await world?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const inChannel = (channel: string, text: string) => (frame: Frame) =>
    frame.actionConversationId.startsWith(channel) && frameText(frame).includes(text);

  it('starts two orgs, each with its own file and relay agent, both agents connected', async () => {
    expect(world.orgs.map((org) => [org.lab.domain, path.basename(org.file)])).toEqual([
      ['contoso.com', 'org.json'],
      ['fabrikam.com', 'fabrikam.json'],
    ]);
    await client.say('agents', LAB_FABRIKAM_CHANNEL_ID);
    const agents = await client.waitForFrame(
      inChannel(LAB_FABRIKAM_CHANNEL_ID, 'lab-exchange-fabrikam'),
      30_000,
    );
    expect(frameText(agents)).toContain('lab-exchange');
  });

  it("runs a plan typed in fabrikam's channel on fabrikam's org through its agent, approved by fabrikam's approver", async () => {
    const contosoBefore = fs.readFileSync(path.join(dir, 'org.json'), 'utf8');
    const thread = await client.say(
      'plan teams domain=fabrikam.com dc=dc01.fabrikam.com',
      LAB_FABRIKAM_CHANNEL_ID,
    );
    const plan = await client.waitForFrame(inChannel(LAB_FABRIKAM_CHANNEL_ID, 'Request approval'), 45_000);
    const planId = JSON.stringify(plan).match(/"planId":"([0-9a-f-]{36})"/)?.[1];
    const cardId = plan.message?.messageId ?? '';
    const requested = await client.invoke(VERBS.requestApproval, { planId }, ALEX, cardId, thread);
    const approvalId = requested.body.match(/"approvalId":"([0-9a-f-]{36})"/)?.[1];
    expect(requested.body).toContain('Isaiah Langer');
    expect(requested.body).not.toContain('Lee Gu');

    const lee = await client.invoke(VERBS.approve, { approvalId }, LEE, cardId, thread);
    expect(lee.body).toContain('only approvers may approve or reject');
    const isaiah = await client.invoke(VERBS.approve, { approvalId }, ISAIAH, cardId, thread);
    expect(isaiah.body).toContain('Approved by Isaiah Langer');

    const result = await client.waitForFrame(inChannel(LAB_FABRIKAM_CHANNEL_ID, 'Result:'), 60_000);
    expect(frameText(result)).toContain('Succeeded and verified');
    const fabrikam = loadLabFile(path.join(dir, 'fabrikam.json')).org;
    expect(fabrikam.mailUsers.map((user) => user.name)).toContain('TeamsScheduler');
    expect(fs.readFileSync(path.join(dir, 'org.json'), 'utf8')).toBe(contosoBefore);
  }, 120_000);

  it("answers cert in contoso's channel about contoso.com only", async () => {
    await client.say('cert', LAB_ADMIN_CHANNEL_ID);
    const answer = await client.waitForFrame(
      inChannel(LAB_ADMIN_CHANNEL_ID, 'Auth certificate of contoso.com'),
      45_000,
    );
    expect(frameText(answer)).not.toContain('fabrikam.com');
  }, 60_000);
});
