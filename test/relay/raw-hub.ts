/** A hand-driven hub on a real loopback WebSocket: it lets a test send an agent frames the real hub never would. */
import { type KeyObject, randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import type { EmsCommand } from '../../src/core/ems';
import {
  type AgentMessage,
  agentMessageSchema,
  type JobPayload,
  PROTOCOL_VERSION,
  parseFrame,
} from '../../src/relay/protocol';
import { signPayload } from '../../src/relay/signing';
import { EventLog } from './support';

export interface RawHub {
  readonly url: string;
  readonly received: EventLog<AgentMessage>;
  /** Sends a job frame with this payload text and signature. */
  sendFrame(payload: string, signature: string): void;
  sendText(text: string): void;
  /** Whether results are acknowledged (off: the agent must keep them in its outbox). */
  setAckResults(ack: boolean): void;
  close(): Promise<void>;
}

/** Starts a raw hub that welcomes any agent and records everything it sends. */
export async function startRawHub(options: { ackResults?: boolean } = {}): Promise<RawHub> {
  let ackResults = options.ackResults ?? true;
  const server = http.createServer();
  const wss = new WebSocketServer({ server, path: '/relay' });
  const received = new EventLog<AgentMessage>();
  let socket: WebSocket | null = null;
  wss.on('connection', (ws) => {
    socket = ws;
    ws.on('message', (data) => {
      const message = parseFrame(data, agentMessageSchema);
      received.push(message);
      if (message.type === 'hello')
        ws.send(JSON.stringify({ v: PROTOCOL_VERSION, type: 'welcome', heartbeatMs: 60_000 }));
      if (message.type === 'result' && ackResults)
        ws.send(JSON.stringify({ v: PROTOCOL_VERSION, type: 'result-ack', jobIds: [message.jobId] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/relay`,
    received,
    sendFrame(payload, signature) {
      socket?.send(JSON.stringify({ v: PROTOCOL_VERSION, type: 'job', payload, signature }));
    },
    setAckResults(ack) {
      ackResults = ack;
    },
    sendText(text) {
      socket?.send(text);
    },
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A job payload for `agentId` valid for 30 s, with any field overridden; commands are not validated here. */
export function jobPayload(
  agentId: string,
  commands: unknown[],
  overrides: Partial<Record<keyof JobPayload, unknown>> = {},
): Record<string, unknown> {
  const now = Date.now();
  return {
    jobId: randomUUID(),
    agentId,
    runId: null,
    stepId: null,
    attempt: 1,
    mode: 'single',
    commands,
    timeoutMs: 10_000,
    issuedAt: now,
    expiresAt: now + 30_000,
    nonce: randomBytes(18).toString('base64url'),
    ...overrides,
  };
}

/** Signs a payload object with `key` and sends it; returns the payload text. */
export function sendSigned(hub: RawHub, key: KeyObject, payload: Record<string, unknown>): string {
  const text = JSON.stringify(payload);
  hub.sendFrame(text, signPayload(key, text));
  return text;
}

export const GET_MAIL_USER: EmsCommand = { cmdlet: 'Get-MailUser', params: { Identity: 'TeamsScheduler' } };
