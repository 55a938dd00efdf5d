/**
 * The run card of one run: posted when the run really starts (not when the start probe finds the plan stale),
 * its place stored with the approval so a restarted bot can update it, then updated in place, coalesced.
 */
import type { ConversationReference } from 'botbuilder';
import type { Logger } from 'pino';
import type { Plan } from '../../core/plan';
import type { ApplyResult, ProgressEvent } from '../../engine/apply';
import type { ApprovalRecord } from '../../store/bot-repositories';
import type { StepRecord } from '../../store/types';
import { initialRunView, type RunView, reduceRunView, runCard, type StepView } from '../cards/run-card';
import { CoalescedCard } from '../coalesced-card';
import type { Poster } from '../poster';
import type { BotRepositories } from '../repositories';

export interface RunCardDeps {
  readonly store: Pick<BotRepositories, 'approvals'>;
  readonly poster: Poster;
  readonly updateIntervalMs: number;
}

/** A run card that follows a run's progress. */
export interface RunCardSession {
  /** The engine's progress: the first event posts (or takes over) the card. */
  onProgress(event: ProgressEvent): Promise<void>;
  /** Marks the card as cancelling (the run stops after its current step). */
  cancelling(): void;
  /** Shows how the run ended and delivers the final state. */
  finish(result: ApplyResult, note: string | null): Promise<void>;
}

/** The view of a plan's run before any progress: every step pending, who asked and who approved. */
export function runViewOf(plan: Plan, approval: ApprovalRecord): RunView {
  return initialRunView(
    plan.title,
    plan.steps,
    approval.requesterName,
    approval.decidedByName ?? 'an approver',
  );
}

const STEP_VIEW: Record<StepRecord['state'], StepView> = {
  pending: 'pending',
  running: 'running',
  succeeded: 'done',
  skipped: 'skipped',
  failed: 'failed',
};

/** A run's view as its journal shows it: for the card of a run a restarted bot takes over. */
export function journaledRunView(view: RunView, runId: string, steps: readonly StepRecord[]): RunView {
  const state = new Map(steps.map((step) => [step.stepId, step]));
  return {
    ...view,
    runId,
    state: 'running',
    steps: view.steps.map((step) => {
      const record = state.get(step.id);
      return record ? { ...step, state: STEP_VIEW[record.state], detail: record.error ?? '' } : step;
    }),
  };
}

/** Opens the run card of `approval`'s run; `existing` is a card already in the conversation (a resumed run). */
export function openRunCard(
  deps: RunCardDeps,
  approval: ApprovalRecord,
  reference: Partial<ConversationReference>,
  start: RunView,
  log: Pick<Logger, 'warn'>,
  existing: string | null = null,
): RunCardSession {
  let view = start;
  let messageId = existing;
  let card: CoalescedCard | null = null;
  const ensureCard = async (): Promise<CoalescedCard> => {
    if (!messageId) {
      messageId = await deps.poster.post(reference, runCard(view));
      await deps.store.approvals.setRunCard(approval.id, { reference: JSON.stringify(reference), messageId });
    }
    const id = messageId;
    card ??= new CoalescedCard(
      (next) => deps.poster.update(reference, id, next),
      deps.updateIntervalMs,
      (error) => log.warn({ err: error }, 'run card update failed'),
    );
    return card;
  };
  let cancelling = false;
  return {
    async onProgress(event) {
      view = reduceRunView(view, event);
      if (cancelling && view.state === 'running') view = { ...view, state: 'cancelling' };
      (await ensureCard()).set(runCard(view));
    },
    cancelling() {
      cancelling = true;
    },
    async finish(result, note) {
      view = {
        ...view,
        runId: result.runId,
        state: result.state,
        error: note ? `${result.error} ${note}` : result.error,
      };
      const coalesced = await ensureCard();
      coalesced.set(runCard(view));
      await coalesced.flush();
    },
  };
}
