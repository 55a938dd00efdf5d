/** `hybridops agents list|add|revoke`: the relay agent registry from a terminal. */
import path from 'node:path';
import { type Config, requireRelaySigningKey } from '../config/load-config';
import { CodedError } from '../core/errors';
import type { Clock } from '../core/ports';
import { createRelayStore } from '../relay/hub-store';
import { writeAgentKeyFile } from '../relay/key-file';
import { loadOrCreateSigningKey, publicKeyPem } from '../relay/signing';
import { openDatabase } from '../store/database';

export interface AgentsCliOptions {
  readonly id?: string;
  readonly out?: string;
  readonly hub?: string;
  readonly force?: boolean;
  readonly json?: boolean;
}

export interface AgentsCliIo {
  readonly out: (text: string) => void;
  readonly clock: Clock;
}

function needs(value: string | undefined, flag: string, sub: string): string {
  if (!value) throw new CodedError('BAD_AGENT_OPTIONS', `agents ${sub} needs ${flag}.`);
  return value;
}

/**
 * Runs one `agents` subcommand against the configured database. `add` writes the agent's key file (its
 * secret is shown nowhere else); `add --force` on a known agent rotates its key; `revoke` cuts it off.
 */
export function runAgentsCommand(
  sub: string | undefined,
  options: AgentsCliOptions,
  config: Pick<Config, 'dbPath' | 'relaySigningKeyPath'>,
  io: AgentsCliIo,
): number {
  const db = openDatabase(config.dbPath);
  try {
    const store = createRelayStore(db);
    const now = io.clock.now().toISOString();
    switch (sub) {
      case 'list': {
        const agents = store.listAgents();
        if (options.json) io.out(JSON.stringify(agents));
        else if (agents.length === 0)
          io.out('No relay agents registered. Add one with "agents add --id ID --out FILE".');
        else
          for (const agent of agents) {
            const state = agent.revokedAt ? `revoked ${agent.revokedAt}` : 'active';
            io.out(
              `${agent.id.padEnd(24)} ${state.padEnd(32)} last seen ${agent.lastSeenAt ?? 'never'}  version ${agent.version ?? '-'}`,
            );
          }
        return 0;
      }
      case 'add': {
        const id = needs(options.id, '--id ID', 'add');
        const out = needs(options.out, '--out FILE', 'add');
        const known = store.getAgent(id);
        if (known && !options.force) {
          throw new CodedError(
            'AGENT_EXISTS',
            `Agent ${id} is already registered; add --force to rotate its key.`,
          );
        }
        const signingKey = loadOrCreateSigningKey(requireRelaySigningKey(config));
        // One transaction: if the key file can't be written, no secret that nobody holds stays registered.
        db.transaction(() => {
          const secret = known ? store.rotateAgent(id, now) : store.addAgent(id, now);
          const hubUrl = options.hub ? { hubUrl: options.hub } : {};
          const key = { agentId: id, secret, botPublicKey: publicKeyPem(signingKey), ...hubUrl };
          writeAgentKeyFile(out, key, Boolean(options.force));
        })();
        const verb = known ? 'Rotated the key of' : 'Registered';
        io.out(
          options.json
            ? JSON.stringify({ id, keyFile: path.resolve(out), rotated: Boolean(known) })
            : `${verb} agent ${id}; copy ${path.resolve(out)} to the Exchange server (it is the agent's only copy of its secret).`,
        );
        return 0;
      }
      case 'revoke': {
        const id = needs(options.id, '--id ID', 'revoke');
        if (!store.revokeAgent(id, now))
          throw new CodedError('UNKNOWN_AGENT', `No agent ${id} is registered.`);
        io.out(
          options.json
            ? JSON.stringify({ id, revoked: true })
            : `Revoked agent ${id}; the hub refuses it from its next connection or heartbeat.`,
        );
        return 0;
      }
      default:
        throw new CodedError(
          'BAD_AGENT_OPTIONS',
          `Unknown agents command "${sub ?? ''}": use list, add or revoke.`,
        );
    }
  } finally {
    db.close();
  }
}
