/** The real Agents Playground in front of the real bot (TeamsAdapter on restify) on a fresh simulated org. */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import WebSocket from 'ws';
import { type AppDocuments, createApp, type HybridOpsApp } from '../../src/app';
import { loadConfig } from '../../src/config/load-config';
import { type EmsRunner, systemClock } from '../../src/core/ports';
import { createLabState } from '../../src/lab/init';
import { createLabFile, loadLabFile } from '../../src/lab/lab-file';
import { type LabSession, openLabSession } from '../../src/lab/lab-session';
import { LAB_ADMIN_CHANNEL_ID, LAB_BOT, LAB_TEAM_ID, labBotEnv } from '../../src/playground/identities';
import {
  type LabAgentExecutor,
  type LabExecutorKind,
  labAgentExecutor,
} from '../../src/playground/lab-executor';
import { createLabRelay, type LabRelay } from '../../src/playground/lab-relay';
import { type RunningPlayground, startPlayground } from '../../src/playground/launch';
import { writePlaygroundConfig } from '../../src/playground/playground-config';
import { openStore } from '../../src/store/open-store';

export interface Frame {
  readonly action: 'createMessage' | 'updateMessage' | 'typing' | string;
  readonly actionConversationId: string;
  readonly message?: {
    readonly messageId: string;
    readonly text?: string;
    readonly attachments?: { contentType: string; content: Record<string, unknown> }[];
  };
}

export interface PlaygroundWorld {
  readonly playground: RunningPlayground;
  readonly app: HybridOpsApp;
  readonly lab: LabSession;
  readonly labFile: string;
  /** The lab agent's executor, when Exchange goes through the relay. */
  readonly agent: LabAgentExecutor | undefined;
  readonly frames: Frame[];
  /** Posts a message in the admin channel as the signed-in user; resolves with the thread's conversation id. */
  say(text: string): Promise<string>;
  /** Clicks an Action.Execute as playground user `from` on the card `replyToId`; resolves with the invoke answer. */
  invoke(
    verb: string,
    data: unknown,
    from: string,
    replyToId: string,
    conversationId: string,
  ): Promise<{ status: number; body: string }>;
  /** Waits (bounded) for a frame that matches. */
  waitForFrame(match: (frame: Frame) => boolean, timeoutMs?: number): Promise<Frame>;
  /** The lab org as it is on disk now. */
  onDisk(): ReturnType<typeof loadLabFile>;
  close(): Promise<void>;
}

const UNREACHABLE_EMS: EmsRunner = {
  run: () => Promise.reject(new Error('Exchange was reached without the relay.')),
  runReads: () => Promise.reject(new Error('Exchange was reached without the relay.')),
};

/** Every text on a frame's card, joined. */
export function frameText(frame: Frame | undefined): string {
  return (
    JSON.stringify(frame?.message?.attachments?.map((attachment) => attachment.content) ?? [])
      .match(/"(?:text|title)":"((?:[^"\\]|\\.)*)"/g)
      ?.map((pair) => pair.replace(/^"(?:text|title)":"/, '').replace(/"$/, ''))
      .join('\n') ?? ''
  );
}

/** A free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts the whole world; `close` stops every process it started. Exchange is the lab's simulated org in this
 * process; with `executor`, it is reached as `npm run lab -- --executor <executor>` reaches it: through the relay
 * hub and the lab agent (with powershell, its pwsh and the HybridOps.Lab module).
 */
/** The org the bot manages and watches when a test asks for one (`startWorld({ watched: true })`). */
export const E2E_ORG = {
  id: 'contoso',
  name: 'contoso.com',
  runbook: 'teams',
  inputs: { domain: 'contoso.com', dc: 'dc01.contoso.com', applicationAccount: true, acknowledged: false },
} as const;

export async function startWorld(
  options: { executor?: LabExecutorKind; watched?: boolean } = {},
): Promise<PlaygroundWorld> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hybridops-e2e-'));
  const labFile = path.join(dir, 'org.json');
  // An org whose hybrid runs on the dedicated hybrid application, as one whose OAuth works after 2025-10-31 does.
  const state = await createLabState({ now: systemClock.now(), domain: 'contoso.com', dedicatedApp: true });
  createLabFile(labFile, state, {
    overwrite: false,
  });
  const lab = await openLabSession(labFile, systemClock);
  const store = await openStore<AppDocuments>(path.join(dir, 'bot.db'));
  const logger = pino({ level: 'silent' });
  let relay: LabRelay | undefined;
  let agent: LabAgentExecutor | undefined;
  if (options.executor) {
    agent = await labAgentExecutor(options.executor, lab.exchange);
    const { executor } = agent;
    relay = await createLabRelay({ store: store.relay, dir, clock: systemClock, logger, executor });
  }
  const app = await createApp(loadConfig({ ...labBotEnv(), LOG_LEVEL: 'silent' }), {
    clock: systemClock,
    // With the relay, every Exchange command must go through it: the in-process org is out of reach.
    ems: relay ? UNREACHABLE_EMS : lab.ems,
    ...(relay ? { attachRelay: relay.attach } : {}),
    graph: lab.graph,
    store,
    target: `lab:${labFile}`,
    logger,
    updateIntervalMs: 150,
    ...(options.watched ? { org: E2E_ORG } : {}),
  });
  const bot = await app.listen(0);
  relay?.startAgent(bot.url);
  let playground: RunningPlayground;
  try {
    playground = await startPlayground({
      appEndpoint: `${bot.url}/api/messages`,
      configPath: writePlaygroundConfig(dir),
      port: await freePort(),
      logFile: path.join(dir, 'playground.log'),
    });
  } catch (error) {
    await relay?.stop();
    await app.close();
    await lab.close();
    await store.close();
    throw error;
  }
  const client = await connectPlayground(playground.url);
  await client.install();
  return {
    playground,
    app,
    lab,
    labFile,
    agent,
    frames: client.frames,
    say: (text) => client.say(text, LAB_ADMIN_CHANNEL_ID),
    invoke: client.invoke,
    waitForFrame: client.waitForFrame,
    onDisk: () => loadLabFile(labFile),
    async close() {
      client.close();
      await playground.stop();
      await relay?.stop();
      await app.close();
      await lab.close();
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A Teams client's view of the Playground: the frames it streams, and messages and clicks as its signed-in user. */
export interface PlaygroundClient {
  readonly frames: Frame[];
  /** Posts a message mentioning the bot in channel `channelId`; resolves with the thread's conversation id. */
  say(text: string, channelId: string): Promise<string>;
  invoke: PlaygroundWorld['invoke'];
  waitForFrame: PlaygroundWorld['waitForFrame'];
  /** Installs the app in the lab team, as `npm run lab` does. */
  install(): Promise<void>;
  close(): void;
}

/** Connects to a running Playground's conversation stream and debug routes. */
export async function connectPlayground(url: string): Promise<PlaygroundClient> {
  const frames: Frame[] = [];
  const waiters = new Set<() => void>();
  const socket = new WebSocket(`${url.replace('http', 'ws')}/_ws_conversation/v1/conversations/stream`);
  socket.on('message', (data) => {
    frames.push(JSON.parse(data.toString()) as Frame);
    for (const wake of waiters) wake();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const post = async (route: string, body: unknown) => {
    const response = await fetch(`${url}${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.text() };
  };
  const waitForFrame = (match: (frame: Frame) => boolean, timeoutMs = 15_000) =>
    new Promise<Frame>((resolve, reject) => {
      const check = () => {
        const found = frames.find(match);
        if (!found) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(
          new Error(
            `No matching frame within ${timeoutMs} ms; last: ${frameText(frames.at(-1)).slice(0, 300)}`,
          ),
        );
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  return {
    frames,
    async say(text, channelId) {
      const sent = await post(`/_conversation/v1/conversations/${encodeURIComponent(channelId)}/messages`, {
        type: 'text',
        text: `<at>${LAB_BOT.name}</at> ${text}`,
        textFormat: 'plain',
        from: { id: 'user-id-0' },
        mentions: [{ mentioned: { id: LAB_BOT.id, name: LAB_BOT.name }, text: `<at>${LAB_BOT.name}</at>` }],
      });
      return (JSON.parse(sent.body) as { postConversationId: string }).postConversationId;
    },
    invoke: (verb, data, from, replyToId, conversationId) =>
      post('/_conversation/v1/invoke', {
        name: 'adaptiveCard/action',
        value: { action: { type: 'Action.Execute', verb, data } },
        from: { id: from },
        conversation: { id: conversationId },
        replyToId,
      }),
    waitForFrame,
    install: async () => {
      await post(`/_debug/conversation/${encodeURIComponent(LAB_TEAM_ID)}/installation`, {});
    },
    close: () => socket.close(),
  };
}
