/** `hybridops agents list|add|revoke`: the relay agent registry from a terminal. */
import path from 'node:path';
import { type Config, requireRelaySigningKey } from '../config/load-config';
import { CodedError } from '../core/errors';
import type { Clock } from '../core/ports';
import { checkHubUrl } from '../relay/agent-connection';
import { assertAgentId, registerAgent, rotateAgentKey } from '../relay/agent-registry';
import { writeAgentKeyFile } from '../relay/key-file';
import { loadOrCreateSigningKey, publicKeyPem } from '../relay/signing';
import { openStore } from '../store/open-store';
import type { Store } from '../store/store';

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

type AgentsConfig = Pick<Config, 'dbPath' | 'relaySigningKeyPath'>;

function needs(value: string | undefined, flag: string, sub: string): string {
  if (!value) throw new CodedError('BAD_AGENT_OPTIONS', `agents ${sub} needs ${flag}.`);
  return value;
}

/**
 * Runs one `agents` subcommand against the configured database. `add` writes the agent's key file (its
 * secret is shown nowhere else); `add --force` on a known agent rotates its key; `revoke` cuts it off.
 */
export async function runAgentsCommand(
  sub: string | undefined,
  options: AgentsCliOptions,
  config: AgentsConfig,
  io: AgentsCliIo,
): Promise<number> {
  if (sub !== 'list' && sub !== 'add' && sub !== 'revoke') {
    throw new CodedError(
      'BAD_AGENT_OPTIONS',
      `Unknown agents command "${sub ?? ''}": use list, add or revoke.`,
    );
  }
  const store = await openStore(config.dbPath);
  try {
    if (sub === 'list') return await list(store, options, io);
    if (sub === 'add') return await add(store, options, config, io);
    return await revoke(store, options, io);
  } finally {
    await store.close();
  }
}

async function list(store: Store, options: AgentsCliOptions, io: AgentsCliIo): Promise<number> {
  const agents = await store.relay.listAgents();
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

async function add(
  store: Store,
  options: AgentsCliOptions,
  config: AgentsConfig,
  io: AgentsCliIo,
): Promise<number> {
  const id = needs(options.id, '--id ID', 'add');
  const out = needs(options.out, '--out FILE', 'add');
  assertAgentId(id);
  // The URL the agent will dial: refused here as the agent would refuse it, before anything is registered.
  if (options.hub) checkHubUrl(options.hub);
  const keyPath = requireRelaySigningKey(config);
  const now = io.clock.now().toISOString();
  // One transaction: if the key file can't be written, no secret that nobody holds stays registered.
  const rotated = await store.transaction(async ({ relay }) => {
    const known = (await relay.getAgent(id)) !== null;
    if (known && !options.force) {
      throw new CodedError(
        'AGENT_EXISTS',
        `Agent ${id} is already registered; add --force to rotate its key.`,
      );
    }
    const signingKey = loadOrCreateSigningKey(keyPath);
    const secret = known ? await rotateAgentKey(relay, id, now) : await registerAgent(relay, id, now);
    const hubUrl = options.hub ? { hubUrl: options.hub } : {};
    const key = { agentId: id, secret, botPublicKey: publicKeyPem(signingKey), ...hubUrl };
    writeAgentKeyFile(out, key, Boolean(options.force));
    return known;
  });
  const verb = rotated ? 'Rotated the key of' : 'Registered';
  io.out(
    options.json
      ? JSON.stringify({ id, keyFile: path.resolve(out), rotated })
      : `${verb} agent ${id}; copy ${path.resolve(out)} to the Exchange server (it is the agent's only copy of its secret).`,
  );
  return 0;
}

async function revoke(store: Store, options: AgentsCliOptions, io: AgentsCliIo): Promise<number> {
  const id = needs(options.id, '--id ID', 'revoke');
  if (!(await store.relay.revokeAgent(id, io.clock.now().toISOString())))
    throw new CodedError('UNKNOWN_AGENT', `No agent ${id} is registered.`);
  io.out(
    options.json
      ? JSON.stringify({ id, revoked: true })
      : `Revoked agent ${id}; the hub refuses it from its next connection or heartbeat.`,
  );
  return 0;
}
