/** The hub's door: an HTTP upgrade on the relay path becomes an agent connection only with a valid, unrevoked credential. */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
import { errorMessage } from '../core/errors';
import type { RelayRepository } from '../store/relay-repository';

export interface UpgradeOptions {
  readonly path: string;
  readonly store: Pick<RelayRepository, 'authenticate'>;
  readonly wss: WebSocketServer;
  readonly isClosed: () => boolean;
  readonly warn: (details: object, message: string) => void;
  readonly onConnection: (ws: WebSocket, agentId: string) => void;
}

/**
 * Answers an upgrade with an HTTP status and closes the socket once the answer is written: ending only our
 * side would leave it half-open for as long as the client cares to keep its own side open.
 */
function closeWith(socket: Duplex, status: string): void {
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * The `upgrade` listener. The hub is the only WebSocket endpoint of its server: an upgrade on any other path
 * is answered 404 and closed at once, since nothing else would ever answer it and the socket would stay open.
 */
export function createUpgradeHandler(options: UpgradeOptions) {
  const refuse = (socket: Duplex, status: string, why: string, agentId: string) => {
    options.warn({ agentId, why }, 'relay: agent connection refused');
    closeWith(socket, status);
  };
  const authenticate = async (agentId: string, secret: string) => {
    if (options.isClosed()) return 'closing';
    if (!agentId || !secret) return 'unknown';
    try {
      return await options.store.authenticate(agentId, secret);
    } catch (error) {
      options.warn({ agentId, err: errorMessage(error) }, 'relay: the agent registry could not be read');
      return 'unavailable';
    }
  };
  return (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    // Node's own error listener is gone once a request upgrades: a reset client must not take the server down.
    socket.on('error', () => socket.destroy());
    // The path as sent, up to any query; no URL parser, which throws on a target such as `//`.
    const pathname = (req.url ?? '/').split('?')[0];
    if (pathname !== options.path) {
      closeWith(socket, '404 Not Found');
      return;
    }
    const agentId = String(req.headers['x-hybridops-agent'] ?? '');
    const secret = /^Bearer (\S+)$/.exec(String(req.headers.authorization ?? ''))?.[1] ?? '';
    authenticate(agentId, secret)
      .then((auth) => {
        // The agent may have hung up, or the hub closed, while the registry was read.
        if (socket.destroyed) return;
        const why = auth === 'ok' && options.isClosed() ? 'closing' : auth;
        if (why !== 'ok') {
          const status =
            why === 'closing' || why === 'unavailable' ? '503 Service Unavailable' : '401 Unauthorized';
          refuse(socket, status, why, agentId);
          return;
        }
        options.wss.handleUpgrade(req, socket, head, (ws) => options.onConnection(ws, agentId));
      })
      .catch((error: unknown) => {
        options.warn({ agentId, err: errorMessage(error) }, 'relay: agent connection failed');
        socket.destroy();
      });
  };
}
