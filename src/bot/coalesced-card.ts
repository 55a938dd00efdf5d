/** Updates of one card, coalesced: at most one update per interval, always ending on the latest state. */
import type { AdaptiveCard } from '@microsoft/teams-ai';

/** Keeps a card current without exceeding Teams' per-thread message rate: only the newest state is sent. */
export class CoalescedCard {
  private pending: AdaptiveCard | null = null;
  private inFlight: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** performance.now() of the last send: a duration's start, not a time of day. */
  private lastSentAt = Number.NEGATIVE_INFINITY;
  /** How many updates were actually sent (for tests and the bench). */
  sent = 0;

  constructor(
    private readonly send: (card: AdaptiveCard) => Promise<void>,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Records the newest state; it is sent when the interval allows. */
  set(card: AdaptiveCard): void {
    this.pending = card;
    this.schedule();
  }

  /** Sends the newest state now (after any update in flight) and resolves when it is delivered. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.inFlight) await this.inFlight;
    if (this.pending) await this.sendPending();
  }

  private schedule(): void {
    if (this.timer || this.inFlight) return;
    const wait = Math.max(0, this.lastSentAt + this.intervalMs - performance.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.sendPending();
    }, wait);
  }

  private sendPending(): Promise<void> {
    const card = this.pending;
    if (!card) return Promise.resolve();
    this.pending = null;
    this.lastSentAt = performance.now();
    this.sent++;
    this.inFlight = this.send(card)
      .catch(this.onError)
      .finally(() => {
        this.inFlight = null;
        if (this.pending) this.schedule();
      });
    return this.inFlight;
  }
}
