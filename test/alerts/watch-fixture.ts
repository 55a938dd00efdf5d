/** A watched lab org: the Teams integration applied, a recording Notifier, the watch on a SQLite file. */
import path from 'node:path';
import type { AlertCard, Notifier, WatchedOrg } from '../../src/alerts/types';
import { createWatch, type Watch } from '../../src/alerts/watch';
import type { AppDocuments } from '../../src/app';
import type { CreateLabStateOptions } from '../../src/lab/init';
import { openStore } from '../../src/store/open-store';
import type { Store } from '../../src/store/store';
import { openVerifiedLab, TEST_MAILBOX, type VerifiedLab } from '../verify/lab';

/** Our own Notifier interface, recorded: what would have reached the channel. */
export class RecordingNotifier implements Notifier {
  readonly posts: { channelId: string; card: AlertCard }[] = [];
  readonly updates: { messageId: string; card: AlertCard }[] = [];
  failNext = 0;
  async postAlert(channelId: string, card: AlertCard): Promise<{ messageId: string }> {
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error('Teams answered 503');
    }
    this.posts.push({ channelId, card });
    return { messageId: `msg-${this.posts.length}` };
  }
  async updateAlert(_channelId: string, messageId: string, card: AlertCard): Promise<void> {
    this.updates.push({ messageId, card });
  }
  /** Posts since the last call. */
  take(): AlertCard[] {
    const cards = this.posts.slice(this.seen).map((post) => post.card);
    this.seen = this.posts.length;
    return cards;
  }
  private seen = 0;
}

export interface WatchedLab {
  readonly lab: VerifiedLab;
  readonly notifier: RecordingNotifier;
  readonly org: WatchedOrg;
  watch: Watch;
  /** While true, the org cannot be reached (relay agent offline). */
  offline: boolean;
  /** Re-creates the watch over the same database file, as after a bot restart. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** Opens the lab, applies `teams`, registers the org with the watch and takes the baseline scan. */
export async function openWatchedLab(options: Partial<CreateLabStateOptions> = {}): Promise<WatchedLab> {
  // End to end: rotate-auth-cert puts the new key on the dedicated hybrid application too.
  const lab = await openVerifiedLab(options);
  const notifier = new RecordingNotifier();
  const dbFile = path.join(path.dirname(lab.file), 'watch.db');
  let store: Store<AppDocuments> = await openStore<AppDocuments>(dbFile);
  const org: WatchedOrg = {
    id: 'contoso',
    name: 'contoso.com',
    runbook: 'teams',
    inputs: lab.inputs,
    channelId: '19:ops@thread.tacv2',
    testMailbox: TEST_MAILBOX,
  };
  const build = () =>
    createWatch({
      store: store.watch,
      notifier,
      clock: lab.clock,
      connect: async () => {
        if (watched.offline) throw new Error('relay agent contoso-ex01 is offline');
        return { ems: lab.session.ems, graph: lab.session.graph };
      },
    });
  const watched: WatchedLab = {
    lab,
    notifier,
    org,
    watch: build(),
    offline: false,
    restart: async () => {
      watched.watch.stop();
      await store.close();
      store = await openStore<AppDocuments>(dbFile);
      watched.watch = build();
    },
    close: async () => {
      watched.watch.stop();
      await store.close();
      await lab.close();
    },
  };
  await watched.watch.register(org);
  return watched;
}
