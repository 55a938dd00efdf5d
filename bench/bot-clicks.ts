/**
 * The bot benchmark's clicks, sent from a process of their own as Teams sends them: a client in the bot's
 * process would read each answer only between the runs the approvals start, and count that wait as the bot's.
 */
import type { ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { Agent, type Dispatcher, fetch } from 'undici';
import { forkTs, nextMessage, stopChild } from './fork-ts';

/** One answer as the clicker saw it: how long it took and its body. */
export interface ClickAnswer {
  readonly ms: number;
  readonly text: string;
}

type ToChild = {
  readonly type: 'burst';
  readonly id: number;
  readonly url: string;
  readonly bodies: unknown[];
};
type FromChild =
  | { readonly type: 'ready' }
  | { readonly type: 'answers'; readonly id: number; readonly answers: ClickAnswer[] };

/** The clicking process. */
export interface Clicker {
  /** Posts every body to `url` at the same moment; the answers in the same order. */
  burst(url: string, bodies: readonly unknown[]): Promise<ClickAnswer[]>;
  close(): Promise<void>;
}

/** Starts the clicking process. */
export async function startClicker(): Promise<Clicker> {
  const child: ChildProcess = forkTs(__filename, ['--clicks-child']);
  await nextMessage<FromChild>(child, (m) => m.type === 'ready');
  let next = 0;
  return {
    async burst(url, bodies) {
      const id = next++;
      const answered = nextMessage<FromChild>(child, (m) => m.type === 'answers' && m.id === id);
      child.send({ type: 'burst', id, url, bodies: [...bodies] } satisfies ToChild);
      const message = await answered;
      return message.type === 'answers' ? message.answers : [];
    },
    close: () => stopChild(child),
  };
}

/** POSTs `body` as JSON; resolves with the answer's text and how long it took. */
export async function post(url: string, body: unknown, dispatcher?: Dispatcher): Promise<ClickAnswer> {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    ...(dispatcher ? { dispatcher } : {}),
  });
  const text = await response.text();
  return { ms: performance.now() - started, text };
}

/**
 * Each burst comes over connections of its own, opened with it and closed after it: every burst, to either bot,
 * starts from the same state, whatever the time since that bot's last one (a server closes idle connections
 * after 5 s).
 */
async function burst(url: string, bodies: readonly unknown[]): Promise<ClickAnswer[]> {
  const dispatcher = new Agent();
  try {
    return await Promise.all(bodies.map((body) => post(url, body, dispatcher)));
  } finally {
    await dispatcher.close();
  }
}

function clicksChild(): void {
  process.on('message', (message: ToChild) => {
    if (message.type !== 'burst') return;
    void burst(message.url, message.bodies).then((answers) =>
      process.send?.({ type: 'answers', id: message.id, answers } satisfies FromChild),
    );
  });
  process.once('SIGTERM', () => process.exit(0));
  process.send?.({ type: 'ready' } satisfies FromChild);
}

if (require.main === module && process.argv[2] === '--clicks-child') clicksChild();
