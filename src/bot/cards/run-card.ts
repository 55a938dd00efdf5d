/** The run card: one row per step with its state, updated in place as the engine reports progress. */
import type { AdaptiveCard } from '@microsoft/teams-ai';
import type { ProgressEvent } from '../../engine/apply';
import { card, type Element, facts, heading, shortId, type Tone, text } from './elements';

export type StepView = 'pending' | 'running' | 'done' | 'skipped' | 'failed';

export interface RunView {
  readonly runId: string | null;
  readonly title: string;
  readonly requestedBy: string;
  readonly approvedBy: string;
  readonly state: 'starting' | 'running' | 'cancelling' | 'succeeded' | 'failed' | 'interrupted';
  readonly steps: readonly {
    readonly id: string;
    readonly title: string;
    readonly state: StepView;
    readonly detail: string;
  }[];
  readonly command: string | null;
  readonly error: string | null;
}

const ICON: Record<StepView, string> = { pending: '○', running: '◐', done: '✔', skipped: '↷', failed: '✖' };
const TONE: Record<StepView, Tone> = {
  pending: 'default',
  running: 'accent',
  done: 'good',
  skipped: 'default',
  failed: 'attention',
};
const RUN_LINE: Record<RunView['state'], [string, Tone]> = {
  starting: ['Starting: re-checking the plan against the org…', 'accent'],
  running: ['Running…', 'accent'],
  cancelling: ['Cancelling after the current step…', 'warning'],
  succeeded: ['All steps done.', 'good'],
  failed: ['Stopped.', 'attention'],
  interrupted: ['Interrupted.', 'warning'],
};

/** A fresh view with every step pending. */
export function initialRunView(
  title: string,
  steps: readonly { id: string; title: string }[],
  requestedBy: string,
  approvedBy: string,
): RunView {
  return {
    runId: null,
    title,
    requestedBy,
    approvedBy,
    state: 'starting',
    steps: steps.map((s) => ({ id: s.id, title: s.title, state: 'pending', detail: '' })),
    command: null,
    error: null,
  };
}

/** Applies one engine progress event to the view. */
export function reduceRunView(view: RunView, event: ProgressEvent): RunView {
  const setStep = (id: string, state: StepView, detail: string) =>
    view.steps.map((step) => (step.id === id ? { ...step, state, detail } : step));
  switch (event.type) {
    case 'run.started':
      return { ...view, runId: event.runId, state: view.state === 'cancelling' ? 'cancelling' : 'running' };
    case 'step.started':
      return { ...view, steps: setStep(event.stepId, 'running', ''), command: null };
    case 'command.started':
      return { ...view, command: event.command.split('\n')[0] ?? null };
    case 'step.finished': {
      const state: StepView = event.state === 'succeeded' ? 'done' : event.state;
      return { ...view, steps: setStep(event.stepId, state, event.detail), command: null };
    }
    case 'run.finished':
      return { ...view, state: event.state, command: null };
  }
}

/** The card for a view. */
export function runCard(view: RunView): AdaptiveCard {
  const [line, tone] = RUN_LINE[view.state];
  const done = view.steps.filter((step) => step.state === 'done' || step.state === 'skipped').length;
  const body: Element[] = [
    ...heading(`Run: ${view.title}`, `${line} ${done}/${view.steps.length} steps complete.`, tone),
    facts([
      ['Run', view.runId ? shortId(view.runId) : '…'],
      ['Requested by', view.requestedBy],
      ['Approved by', view.approvedBy],
    ]),
  ];
  for (const step of view.steps) {
    const detail = step.state === 'failed' ? ` — ${step.detail}` : '';
    body.push(
      text(`${ICON[step.state]} ${step.title} · ${step.state}${detail}`, {
        color: TONE[step.state],
        spacing: 'Small',
      }),
    );
  }
  if (view.command)
    body.push(text(`Now: ${view.command}`, { fontType: 'Monospace', size: 'Small', isSubtle: true }));
  if (view.error) body.push(text(view.error, { color: 'attention', weight: 'Bolder' }));
  return card(body);
}
