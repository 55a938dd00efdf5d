/** A bot on botbuilder's TestAdapter over a real simulated org, with helpers to speak and click as lab people. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AdaptiveCard } from '@microsoft/teams-ai';
import { type Activity, type ConversationReference, TestAdapter, type TurnContext } from 'botbuilder';
import pino from 'pino';
import {
  type AppDocuments,
  type AppStore,
  createApp,
  type HybridOpsApp,
  type ServedOrg,
} from '../../src/app';
import { loadConfig } from '../../src/config/load-config';
import type { Clock, EmsRunner } from '../../src/core/ports';
import { type CreateLabStateOptions, createLabState } from '../../src/lab/init';
import { createLabFile } from '../../src/lab/lab-file';
import { type LabSession, openLabSession } from '../../src/lab/lab-session';
import type { LabState } from '../../src/lab/state';
import {
  LAB_ADMIN_CHANNEL_ID,
  LAB_BOT,
  LAB_FABRIKAM_CHANNEL_ID,
  LAB_ORGS,
  LAB_PEOPLE,
  LAB_TEAM_ID,
  LAB_TENANT_ID,
  type LabOrg,
  labBotEnv,
  labPerson,
} from '../../src/playground/identities';
import { managedLabOrg } from '../../src/playground/lab-world';
import type { ManagedOrg } from '../../src/runbooks/types';
import { openStore } from '../../src/store/open-store';
import { countRows } from '../support/count-rows';

export const T0 = new Date('2026-11-21T12:00:00.000Z');
export const ALEX = 0; // operator and approver
export const MEGAN = 1; // operator
export const LEE = 2; // approver
export const DIEGO = 3; // no role

/** A clock that stands still until a test moves it. */
export class MovableClock implements Clock {
  private current = new Date(T0);
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** The TestAdapter, able to continue conversations (proactive posts) and recording card updates. */
export class ProactiveTestAdapter extends TestAdapter {
  readonly updates: Partial<Activity>[] = [];

  override async continueConversationAsync(...args: unknown[]): Promise<void> {
    const reference = args[1] as Partial<ConversationReference>;
    const logic = args[2] as (context: TurnContext) => Promise<void>;
    const activity = { type: 'event', name: 'continueConversation', id: undefined } as Partial<Activity>;
    const context = this.createContext({
      ...activity,
      channelId: reference.channelId ?? 'msteams',
      serviceUrl: reference.serviceUrl ?? 'https://smba.example',
      conversation: reference.conversation as Activity['conversation'],
      recipient: reference.bot as Activity['recipient'],
      from: reference.user as Activity['from'],
    });
    await this.runMiddleware(context, logic);
  }

  override async updateActivity(context: TurnContext, activity: Partial<Activity>): Promise<void> {
    this.updates.push(activity);
    await super.updateActivity(context, activity);
  }
}

export type Where =
  | 'channel'
  | 'personal'
  | 'general'
  | 'otherTeam'
  | 'otherTenant'
  | 'groupChat'
  | 'fabrikam';

const labStates = new Map<string, Promise<LabState>>();

/** A lab state per option set, generated once (the RSA key is slow) and cloned per test. */
async function freshLabState(options: Partial<CreateLabStateOptions>): Promise<LabState> {
  const key = JSON.stringify(options);
  // With hybrid OAuth, the org runs on the dedicated hybrid application, as one whose OAuth works after 2025-10-31.
  const dedicatedApp = options.hybridOAuth !== false;
  if (!labStates.has(key))
    labStates.set(key, createLabState({ now: T0, domain: 'contoso.com', dedicatedApp, ...options }));
  return structuredClone(await (labStates.get(key) as Promise<LabState>));
}

export interface BotHarness {
  readonly app: HybridOpsApp;
  readonly adapter: ProactiveTestAdapter;
  readonly lab: LabSession;
  /** The second org's simulated org, when the bot serves the lab's two orgs (`manyOrgs`). */
  readonly fabrikam?: LabSession;
  readonly clock: MovableClock;
  /** The bot's store, and where it is (HYBRIDOPS_DB's form): a SQLite file, or a PostgreSQL database. */
  readonly store: AppStore;
  readonly databaseUrl: string;
  readonly dir: string;
  /** How many rows `table` holds, read from outside the bot, as an operator at a SQL prompt would. */
  countRows(table: string): Promise<number>;
  /** Sends a message as lab person `who` and returns the cards the bot answered with. */
  say(text: string, who?: number, where?: Where): Promise<AdaptiveCard[]>;
  /** Sends an activity of any kind as lab person `who`. */
  send(activity: Partial<Activity>, who?: number, where?: Where): Promise<Partial<Activity>[]>;
  /** Clicks an Action.Execute as `who`; resolves with the invoke response's card (or message). */
  click(verb: string, data: unknown, who: number, replyToId?: string, where?: Where): Promise<InvokeAnswer>;
  /** Every card the bot sent (replies and proactive posts), oldest first. */
  cards(): AdaptiveCard[];
  /** The text of a card, flattened, to assert on. */
  close(): Promise<void>;
}

export interface InvokeAnswer {
  readonly status: number;
  readonly card: AdaptiveCard | null;
  readonly text: string;
}

/** Every text on a card, joined, for assertions. */
export function cardText(card: AdaptiveCard | null | undefined): string {
  const texts: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (typeof record.text === 'string') texts.push(record.text);
      if (typeof record.title === 'string') texts.push(record.title);
      if (typeof record.value === 'string') texts.push(record.value);
      Object.values(record).forEach(walk);
    }
  };
  walk(card);
  return texts.join('\n');
}

/** The Action.Execute buttons of a card, by title. */
export function buttons(
  card: AdaptiveCard | null,
): Record<string, { verb: string; data: Record<string, string> }> {
  const found: Record<string, { verb: string; data: Record<string, string> }> = {};
  for (const action of (card?.actions ?? []) as {
    type: string;
    title: string;
    verb: string;
    data: Record<string, string>;
  }[]) {
    if (action.type === 'Action.Execute') found[action.title] = { verb: action.verb, data: action.data };
  }
  return found;
}

function place(where: Where): Pick<Activity, 'conversation' | 'channelData'> {
  const tenant = where === 'otherTenant' ? '0d0e0f00-1111-2222-3333-444444444444' : LAB_TENANT_ID;
  const conversation = (id: string, conversationType: string) => ({
    id,
    conversationType,
    isGroup: conversationType !== 'personal',
    tenantId: tenant,
    name: '',
  });
  switch (where) {
    case 'personal':
      return {
        conversation: conversation('a:personal-chat', 'personal'),
        channelData: { tenant: { id: tenant } },
      };
    case 'groupChat':
      return {
        conversation: conversation('19:group@thread.v2', 'groupChat'),
        channelData: { tenant: { id: tenant } },
      };
    case 'general':
      return {
        conversation: conversation(`${LAB_TEAM_ID};messageid=1`, 'channel'),
        channelData: { tenant: { id: tenant }, team: { id: LAB_TEAM_ID }, channel: { id: LAB_TEAM_ID } },
      };
    case 'fabrikam':
      return {
        conversation: conversation(`${LAB_FABRIKAM_CHANNEL_ID};messageid=1`, 'channel'),
        channelData: {
          tenant: { id: tenant },
          team: { id: LAB_TEAM_ID },
          channel: { id: LAB_FABRIKAM_CHANNEL_ID },
        },
      };
    case 'otherTeam':
      return {
        conversation: conversation('19:elsewhere@thread.tacv2;messageid=1', 'channel'),
        channelData: {
          tenant: { id: tenant },
          team: { id: '19:another-team@thread.tacv2' },
          channel: { id: '19:elsewhere@thread.tacv2' },
        },
      };
    default:
      return {
        conversation: conversation(`${LAB_ADMIN_CHANNEL_ID};messageid=1`, 'channel'),
        channelData: {
          tenant: { id: tenant },
          team: { id: LAB_TEAM_ID },
          channel: { id: LAB_ADMIN_CHANNEL_ID },
        },
      };
  }
}

/** The lab's second simulated org, fabrikam.com, in `dir`. */
async function openSecondOrg(dir: string, clock: Clock, options: Partial<CreateLabStateOptions>) {
  const file = path.join(dir, 'fabrikam.json');
  if (!fs.existsSync(file))
    createLabFile(file, await freshLabState({ domain: 'fabrikam.com', ...options }), { overwrite: false });
  return { file, lab: await openLabSession(file, clock) };
}

/** One of the lab's orgs as the bot serves it, over its simulated org. */
function servedLab(org: LabOrg, lab: LabSession, ems: EmsRunner, target: string): ServedOrg {
  return {
    org: managedLabOrg(org.id, lab),
    policy: {
      tenantId: LAB_TENANT_ID,
      adminTeamId: LAB_TEAM_ID,
      adminChannelId: org.channelId,
      operators: org.operators,
      approvers: org.approvers,
    },
    ems,
    graph: lab.graph,
    target,
  };
}

/** The org the lab bot manages when a test asks for one. */
export const LAB_ORG: ManagedOrg = {
  id: 'contoso',
  name: 'contoso.com',
  runbook: 'teams',
  inputs: { domain: 'contoso.com', dc: 'dc01.contoso.com', applicationAccount: true, acknowledged: false },
};

/**
 * Starts a bot on a fresh simulated org. `databaseUrl` names the store (default: a SQLite file in `dir`);
 * `databaseUrl` and `dir` of an earlier bot reuse its database and org (a restart).
 */
export async function startBot(
  options: {
    labOptions?: Partial<CreateLabStateOptions>;
    databaseUrl?: string;
    dir?: string;
    org?: ManagedOrg;
    /** The clock (a restarted bot keeps the time of the one before); a fresh one at T0 by default. */
    clock?: MovableClock;
    /** Called at each checkpoint of a run: a test throws from it to stop a run as a crash would. */
    checkpoint?: (label: string) => void;
    /** Runs the bot as the lab does: `approve`/`reject … as=<name>` may act as the lab's people. */
    labPeople?: boolean;
    /** Wraps the org's Exchange (e.g. to hold its reads while a test looks at the bot). */
    wrapEms?: (ems: EmsRunner) => EmsRunner;
    /**
     * Serves the lab's two orgs as `npm run lab` does: contoso.com in the admin channel and fabrikam.com (a second
     * simulated org, `fabrikamOptions`) in its own channel, each with its own people, Exchange and Graph.
     */
    manyOrgs?: { fabrikamOptions?: Partial<CreateLabStateOptions> };
  } = {},
): Promise<BotHarness> {
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'hybridops-bot-'));
  const file = path.join(dir, 'org.json');
  if (!fs.existsSync(file))
    createLabFile(file, await freshLabState(options.labOptions ?? {}), { overwrite: false });
  const clock = options.clock ?? new MovableClock();
  const lab = await openLabSession(file, clock);
  const databaseUrl = options.databaseUrl ?? path.join(dir, 'bot.db');
  const store = await openStore<AppDocuments>(databaseUrl);
  let app: HybridOpsApp | null = null;
  const adapter = new ProactiveTestAdapter(async (context) => {
    await app?.run(context);
  });
  const fabrikam = options.manyOrgs
    ? await openSecondOrg(dir, clock, options.manyOrgs.fabrikamOptions ?? {})
    : undefined;
  const ems = options.wrapEms ? options.wrapEms(lab.ems) : lab.ems;
  app = await createApp(loadConfig({ ...labBotEnv(), LOG_LEVEL: 'silent' }), {
    clock,
    ...(fabrikam
      ? {
          orgs: [
            servedLab(LAB_ORGS[0] as LabOrg, lab, ems, `lab:${file}`),
            servedLab(LAB_ORGS[1] as LabOrg, fabrikam.lab, fabrikam.lab.ems, `lab:${fabrikam.file}`),
          ],
        }
      : { ems, graph: lab.graph, target: `lab:${file}` }),
    store,
    ...(options.labPeople ? { labPeople: LAB_PEOPLE } : {}),
    logger: pino({ level: 'silent' }),
    adapter,
    updateIntervalMs: 0,
    ...(options.org ? { org: options.org } : {}),
    ...(options.checkpoint ? { checkpoint: options.checkpoint } : {}),
  });
  const built = app;
  const send = async (
    activity: Partial<Activity>,
    who = ALEX,
    where: Where = 'channel',
    onTurnStart?: (context: TurnContext) => void,
  ) => {
    const person = labPerson(who);
    const before = adapter.activeQueue.length;
    const logic = async (context: TurnContext) => {
      onTurnStart?.(context);
      await built.run(context);
    };
    await adapter.processActivity(
      {
        channelId: 'msteams',
        from: { id: person.id, name: person.name, aadObjectId: person.aadObjectId },
        recipient: { ...LAB_BOT },
        serviceUrl: 'https://smba.example',
        ...place(where),
        ...activity,
      } as Partial<Activity>,
      logic,
    );
    // Typing indicators are feedback, not answers: the activities returned are what stays in the channel.
    return adapter.activeQueue.slice(before).filter((sent) => sent.type !== 'typing');
  };
  const cardsOf = (activities: Partial<Activity>[]) =>
    activities.flatMap((a) => (a.attachments ?? []).map((attachment) => attachment.content as AdaptiveCard));
  return {
    app: built,
    adapter,
    lab,
    clock,
    store,
    databaseUrl,
    dir,
    countRows: (table) => countRows(databaseUrl, table),
    send,
    async say(text, who = ALEX, where = 'channel') {
      const mention = where === 'personal' ? '' : `<at>${LAB_BOT.name}</at> `;
      return cardsOf(await send({ type: 'message', text: `${mention}${text}` }, who, where));
    },
    async click(verb, data, who, replyToId = 'card-1', where = 'channel') {
      // Concurrent clicks interleave in the queue, so each turn's own invoke response is read from its context.
      let response: { status: number; body?: { type?: string; value?: unknown } } | undefined;
      await send(
        {
          type: 'invoke',
          name: 'adaptiveCard/action',
          value: { action: { type: 'Action.Execute', verb, data } },
          replyToId,
        },
        who,
        where,
        (context) => {
          context.onSendActivities(async (_context, activities, next) => {
            const invoke = activities.find((activity) => activity.type === 'invokeResponse');
            if (invoke && !response) response = invoke.value as typeof response;
            return next();
          });
        },
      );
      const value = response?.body?.value;
      return {
        status: response?.status ?? 0,
        card: value && typeof value === 'object' ? (value as AdaptiveCard) : null,
        text: typeof value === 'string' ? value : cardText(value as AdaptiveCard),
      };
    },
    cards: () => cardsOf([...adapter.activeQueue]),
    ...(fabrikam ? { fabrikam: fabrikam.lab } : {}),
    async close() {
      await built.close();
      await lab.close();
      await fabrikam?.lab.close();
      await store.close();
      if (!options.dir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
