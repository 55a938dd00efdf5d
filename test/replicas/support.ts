/** Replicas of the bot as real processes on one PostgreSQL database, and a lab agent connected to one of them. */
import net from 'node:net';
import path from 'node:path';
import type { AgentEvent } from '../../src/relay/agent-client';
import { registerAgent } from '../../src/relay/agent-registry';
import { writeAgentKeyFile } from '../../src/relay/key-file';
import { loadOrCreateSigningKey, publicKeyPem } from '../../src/relay/signing';
import { openStore } from '../../src/store/open-store';
import { type ChildFixture, kill, spawnTs } from '../relay/support';
import { fixedClock, tempDir, writeLabOrg } from '../support/lab-org';

export interface ReplicaEvent {
  readonly type: string;
  readonly replica?: string;
  readonly [key: string]: unknown;
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

/** A lab org, the bot's signing key and agent ex01 registered on the database at `dbUrl`. */
export async function replicaSetup(dbUrl: string) {
  const { dir, cleanup } = tempDir('hybridops-replicas-');
  const labFile = await writeLabOrg(dir, fixedClock());
  const keyPem = path.join(dir, 'bot-signing.pem');
  const keyFile = path.join(dir, 'ex01.key.json');
  const store = await openStore(dbUrl);
  const secret = await registerAgent(store.relay, 'ex01', new Date().toISOString());
  await store.close();
  writeAgentKeyFile(keyFile, {
    agentId: 'ex01',
    secret,
    botPublicKey: publicKeyPem(loadOrCreateSigningKey(keyPem)),
  });
  const children: ChildFixture<unknown>[] = [];
  return {
    dir,
    labFile,
    /** Starts a replica process (see fixtures/replica-process.ts) and waits until it listens. */
    async replica(role: string[], env: NodeJS.ProcessEnv = {}) {
      const port = await freePort();
      const [name, ...args] = role;
      const child = spawnTs<ReplicaEvent>(
        'test/replicas/fixtures/replica-process.ts',
        [name as string, dbUrl, keyPem, String(port), ...args],
        env,
      );
      children.push(child);
      const listening = await child.log.waitFor(
        (e) => e.type === 'listening' || e.type === 'crashed',
        30_000,
        'replica listening',
      );
      if (listening.type === 'crashed') throw new Error(String(listening.error));
      return { child, port, id: listening.replica as string, url: `ws://127.0.0.1:${port}/relay` };
    },
    /** Starts agent ex01 on the lab org, connected to the hub at `hubUrl`. */
    agent(hubUrl: string): ChildFixture<AgentEvent> {
      const child = spawnTs<AgentEvent>('src/relay/agent.ts', [
        ...['--hub', hubUrl, '--id', 'ex01', '--key-file', keyFile],
        ...['--executor', 'lab', '--lab', labFile, '--events', '--backoff-ms', '50'],
      ]);
      children.push(child);
      return child;
    },
    async close() {
      for (const child of children.splice(0)) await kill(child);
      cleanup();
    },
  };
}
