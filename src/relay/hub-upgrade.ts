/** The hub's door: an HTTP upgrade on the relay path becomes an agent connection only with a valid, unrevoked credential. */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
import type { RelayStore } from './hub-store';

export interface UpgradeOptions {
  readonly path: string;
  readonly store: Pick<RelayStore, 'authenticate'>;
  readonly wss: WebSocketServer;
  readonly isClosed: () => boolean;
  readonly warn: (details: object, message: string) => void;
  readonly onConnection: (ws: WebSocket, agentId: string) => void;
}

/** The `upgrade` listener: other paths are left alone for other handlers on the same server. */
export function createUpgradeHandler(options: UpgradeOptions) {
  const refuse = (socket: Duplex, status: string, why: string, agentId: string) => {
    options.warn({ agentId, why }, 'relay: agent connection refused');
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  };
  return (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(req.url ?? '/', 'http://relay');
    if (url.pathname !== options.path) return;
    const agentId = String(req.headers['x-hybridops-agent'] ?? '');
    const secret = /^Bearer (\S+)$/.exec(String(req.headers.authorization ?? ''))?.[1] ?? '';
    const auth = options.isClosed()
      ? 'closing'
      : agentId && secret
        ? options.store.authenticate(agentId, secret)
        : 'unknown';
    if (auth !== 'ok') {
      refuse(socket, auth === 'closing' ? '503 Service Unavailable' : '401 Unauthorized', auth, agentId);
      return;
    }
    options.wss.handleUpgrade(req, socket, head, (ws) => options.onConnection(ws, agentId));
  };
}
