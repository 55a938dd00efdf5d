/** The agent's line to the hub: dial out with its credential, say hello, keep the line alive, and redial with backoff. */
import { WebSocket } from 'ws';
import { CodedError } from '../core/errors';
import { type Clock, systemClock } from '../core/ports';
import {
  encode,
  type HelloMessage,
  type HubMessage,
  hubMessageSchema,
  MAX_FRAME_BYTES,
  parseFrame,
} from './protocol';

/** Connection events, reported as part of the agent's events. */
export type ConnectionEvent =
  | { readonly type: 'connected' }
  | { readonly type: 'disconnected'; readonly code: number }
  | { readonly type: 'refused-by-hub'; readonly status: number };

export interface HubConnectionOptions {
  readonly hubUrl: string;
  readonly agentId: string;
  readonly secret: string;
  /** Overrides the heartbeat interval the hub asks for. */
  readonly heartbeatMs?: number;
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  readonly random?: () => number;
  /** Stamps the heartbeat's pings (the hub echoes them). */
  readonly clock?: Clock;
  /** The hello to send on every new connection (it lists the jobs in flight at that moment). */
  readonly hello: () => HelloMessage;
  /** Called after the hub welcomed the agent, before `connected` is reported. */
  readonly onWelcome: () => void;
  readonly onMessage: (message: Exclude<HubMessage, { type: 'welcome' | 'pong' }>) => void;
  readonly onEvent: (event: ConnectionEvent) => void;
}

/** The delay before reconnect attempt `attempt` (0-based): exponential, capped, with jitter in [½, 1]. */
export function backoffDelay(
  attempt: number,
  initialMs: number,
  maxMs: number,
  random: () => number,
): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(base * (0.5 + 0.5 * random()));
}

const LOOPBACK_HOSTS = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/**
 * Refuses a hub URL over which the agent's secret would travel in cleartext: `wss://` always, `ws://` only to
 * this machine (the lab's loopback relay). Throws BAD_AGENT_OPTIONS with one sentence.
 */
export function checkHubUrl(hubUrl: string): void {
  let url: URL;
  try {
    url = new URL(hubUrl);
  } catch {
    throw new CodedError('BAD_AGENT_OPTIONS', `The hub URL "${hubUrl}" is not a URL; give wss://BOT/relay.`);
  }
  if (url.protocol === 'wss:') return;
  if (url.protocol === 'ws:' && LOOPBACK_HOSTS.test(url.hostname)) return;
  throw new CodedError(
    'BAD_AGENT_OPTIONS',
    url.protocol === 'ws:'
      ? `The hub URL ${hubUrl} is not encrypted, so the agent's secret would cross the network in cleartext: use wss:// (ws:// only to this machine).`
      : `The hub URL ${hubUrl} must start with wss://.`,
  );
}

/** One outbound WebSocket to the hub at a time, re-established until close() is called. */
export class HubConnection {
  private ws: WebSocket | null = null;
  private welcomed = false;
  private closing = false;
  private attempts = 0;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  /** performance.now() when the hub was last heard. */
  private lastHeard = 0;

  constructor(private readonly options: HubConnectionOptions) {
    checkHubUrl(options.hubUrl);
  }

  /** Whether the hub has welcomed this connection (results may be sent). */
  get ready(): boolean {
    return this.welcomed && this.ws?.readyState === WebSocket.OPEN;
  }

  connect(): void {
    if (this.closing) return;
    const ws = new WebSocket(this.options.hubUrl, {
      headers: { authorization: `Bearer ${this.options.secret}`, 'x-hybridops-agent': this.options.agentId },
      maxPayload: MAX_FRAME_BYTES,
      handshakeTimeout: 10_000,
    });
    this.ws = ws;
    ws.on('open', () => {
      this.lastHeard = performance.now();
      this.sendText(encode(this.options.hello()));
    });
    ws.on('unexpected-response', (_req, res) => {
      this.options.onEvent({ type: 'refused-by-hub', status: res.statusCode ?? 0 });
      ws.terminate();
    });
    ws.on('message', (data) => {
      this.lastHeard = performance.now();
      let message: HubMessage;
      try {
        message = parseFrame(data, hubMessageSchema);
      } catch {
        ws.close(1008, 'malformed frame');
        return;
      }
      this.onMessage(message);
    });
    ws.on('error', () => undefined); // 'close' follows and schedules the reconnect.
    ws.on('close', (code) => {
      if (this.ws !== ws) return;
      this.welcomed = false;
      this.stopHeartbeat();
      this.options.onEvent({ type: 'disconnected', code });
      this.scheduleReconnect();
    });
  }

  /** Sends a frame if the line is open; false when it is not (the caller keeps what it must not lose). */
  sendText(frame: string): boolean {
    if (this.ws?.readyState !== WebSocket.OPEN) return false;
    this.ws.send(frame);
    return true;
  }

  /** Closes the line for good (1001), waiting at most two seconds for the hub to answer. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.stopHeartbeat();
    const ws = this.ws;
    if (!ws || ws.readyState === WebSocket.CLOSED) return;
    const closed = new Promise((resolve) => ws.once('close', resolve));
    ws.close(1001, 'agent shutting down');
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
    ws.terminate();
  }

  private onMessage(message: HubMessage): void {
    if (message.type === 'pong') return;
    if (message.type !== 'welcome') {
      this.options.onMessage(message);
      return;
    }
    this.welcomed = true;
    this.attempts = 0;
    this.startHeartbeat(this.options.heartbeatMs ?? message.heartbeatMs);
    this.options.onWelcome();
    this.options.onEvent({ type: 'connected' });
  }

  private scheduleReconnect(): void {
    if (this.closing) return;
    const { initialMs, maxMs } = this.options.backoff ?? { initialMs: 500, maxMs: 30_000 };
    const delay = backoffDelay(this.attempts, initialMs, maxMs, this.options.random ?? Math.random);
    this.attempts += 1;
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  private startHeartbeat(intervalMs: number): void {
    this.stopHeartbeat();
    this.heartbeat = setInterval(() => {
      // Three silent intervals mean a dead line (a half-open TCP connection never closes by itself).
      if (performance.now() - this.lastHeard > 3 * intervalMs) {
        this.ws?.terminate();
        return;
      }
      const at = (this.options.clock ?? systemClock).now().getTime();
      this.sendText(encode({ v: 1, type: 'ping', at }));
    }, intervalMs);
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }
}
