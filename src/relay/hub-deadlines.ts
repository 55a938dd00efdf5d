/** One timer for all waiting jobs: armed for the earliest deadline, so a dispatch costs no timer of its own. */

/** Calls `onExpired(key)` once a key's deadline passes, unless it was removed first. */
export class Deadlines {
  private readonly due = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private armedFor = Number.POSITIVE_INFINITY;

  constructor(private readonly onExpired: (key: string) => void) {}

  add(key: string, atMs: number): void {
    this.due.set(key, atMs);
    if (atMs < this.armedFor) this.arm(atMs);
  }

  remove(key: string): void {
    this.due.delete(key);
  }

  clear(): void {
    this.due.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.armedFor = Number.POSITIVE_INFINITY;
  }

  private arm(atMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.armedFor = atMs;
    this.timer = setTimeout(() => this.fire(), Math.max(0, atMs - Date.now()));
  }

  private fire(): void {
    this.timer = null;
    this.armedFor = Number.POSITIVE_INFINITY;
    const now = Date.now();
    let next = Number.POSITIVE_INFINITY;
    for (const [key, atMs] of [...this.due]) {
      if (atMs <= now) {
        this.due.delete(key);
        this.onExpired(key);
      } else {
        next = Math.min(next, atMs);
      }
    }
    if (next !== Number.POSITIVE_INFINITY) this.arm(next);
  }
}
