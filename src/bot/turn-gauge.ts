/**
 * The turns the bot is answering, so that background work lets them go first: an approved run starts once the
 * clicks and messages in flight are answered, not between them (a burst of clicks is answered, then runs).
 */
import type { Server, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { ActivityTypes, type MiddlewareHandler } from 'botbuilder';

export interface TurnGaugeOptions {
  /** How long no turn must have started before background work goes on. */
  readonly quietMs?: number;
  /** The longest background work waits, however busy the bot stays. */
  readonly maxWaitMs?: number;
}

/** Counts the message and invoke turns in flight (proactive turns are the bot's own work, not counted). */
export class TurnGauge {
  private inFlight = 0;
  private lastStarted = Number.NEGATIVE_INFINITY;
  private readonly quietMs: number;
  private readonly maxWaitMs: number;

  constructor(options: TurnGaugeOptions = {}) {
    this.quietMs = options.quietMs ?? 20;
    this.maxWaitMs = options.maxWaitMs ?? 1_000;
  }

  /** Adapter middleware that counts each message and invoke turn while it runs. */
  middleware(): MiddlewareHandler {
    return async (context, next) => {
      const type = context.activity.type;
      if (type !== ActivityTypes.Message && type !== ActivityTypes.Invoke) return next();
      this.inFlight += 1;
      this.lastStarted = performance.now();
      try {
        await next();
      } finally {
        this.inFlight -= 1;
      }
    };
  }

  /**
   * Counts the server's requests too, from their first byte to their answer's last: a click whose body is still
   * being read is not a turn yet, but it is owed an answer. A new connection counts as a start.
   */
  watch(server: Server): void {
    server.on('connection', () => {
      this.lastStarted = performance.now();
    });
    server.on('request', (_request, response: ServerResponse) => {
      this.inFlight += 1;
      this.lastStarted = performance.now();
      response.once('close', () => {
        this.inFlight -= 1;
      });
    });
  }

  /**
   * Resolves once no counted turn is in flight and none started for `quietMs`, or after `maxWaitMs`. Each look
   * comes after an I/O phase, so requests that arrived while the bot was busy are counted before it decides.
   */
  async quiet(): Promise<void> {
    const started = performance.now();
    for (;;) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      const now = performance.now();
      const busy = this.inFlight > 0 || now - this.lastStarted < this.quietMs;
      const waited = now - started;
      if (!busy || waited >= this.maxWaitMs) return;
      const untilQuiet = this.inFlight > 0 ? this.quietMs : this.quietMs - (now - this.lastStarted);
      await new Promise<void>((resolve) =>
        setTimeout(resolve, Math.max(1, Math.min(untilQuiet, this.maxWaitMs - waited))),
      );
    }
  }
}
