/**
 * Sending one operation of a run: journaled as started, with its "sent" audit entry, before it leaves; its answer
 * journaled with the value it binds and the audit entry completing the first, after. A crash between the two
 * leaves the command started and audited as sent: the resumed run judges it by re-probing.
 */
import { performance } from 'node:perf_hooks';
import { errorMessage, isCodedError } from '../../core/errors';
import type { Operation } from '../../core/plan';
import { isMutatingOperation, prepareOperation, sendOperation } from '../operations/run';
import type { BoundValue } from '../plan-types';
import type { RunContext } from './context';

export type SendOutcome =
  | { readonly kind: 'succeeded'; readonly text: string }
  | { readonly kind: 'failed'; readonly text: string; readonly error: string }
  /** Sent, but no answer came back (connection lost): the org alone can tell whether it took effect. */
  | { readonly kind: 'unknown'; readonly text: string; readonly error: string };

/** Keeps the run's copy of the journal as the store has it. */
function record(
  ctx: RunContext,
  stepId: string,
  text: string,
  state: 'started' | 'succeeded' | 'failed',
  sentAs: number | null = null,
): void {
  const before = ctx.journal.get(text);
  const seq = sentAs ?? before?.sentAs;
  ctx.journal.set(text, {
    runId: ctx.runId,
    stepId,
    text,
    state,
    startedAt: before?.startedAt ?? ctx.deps.clock.now().toISOString(),
    durationMs: before?.durationMs ?? null,
    result: before?.result ?? null,
    ...(seq === undefined ? {} : { sentAs: seq }),
  });
}

/** Sends one operation, journaled and audited before and after. Nothing is sent when a named value is missing. */
export async function sendJournaled(ctx: RunContext, stepId: string, op: Operation): Promise<SendOutcome> {
  const { deps, runId } = ctx;
  let prepared: ReturnType<typeof prepareOperation>;
  try {
    prepared = prepareOperation(op, ctx.values);
  } catch (error) {
    if (!isCodedError(error)) throw error;
    return {
      kind: 'failed',
      text: op.kind === 'ems' ? op.cmdlet : `${op.method} request`,
      error: error.message,
    };
  }
  const { text } = prepared;
  const mutating = isMutatingOperation(op);
  await ctx.emit({ type: 'command.started', runId, stepId, command: text });
  const sent = mutating ? ctx.entry('command.sent', text, 'sent') : undefined;
  const seq = await deps.store.startCommand(runId, stepId, text, deps.clock.now().toISOString(), sent);
  record(ctx, stepId, text, 'started', seq);
  ctx.checkpoint('command.sent');
  const startedAt = performance.now();
  let outcome: Awaited<ReturnType<typeof sendOperation>>;
  try {
    outcome = await sendOperation(prepared, deps);
  } catch (error) {
    return { kind: 'unknown', text, error: errorMessage(error) };
  }
  ctx.checkpoint('command.answered');
  const durationMs = Math.round(performance.now() - startedAt);
  const result = outcome.ok ? outcome.summary : outcome.error;
  const bound = outcome.ok && op.bind ? { name: op.bind, value: outcome.output ?? {} } : undefined;
  const completion = mutating
    ? {
        ...ctx.entry('command', text, `${outcome.ok ? 'succeeded' : 'failed'}: ${result}`, durationMs),
        ...(seq === null ? {} : { completes: seq }),
      }
    : undefined;
  await deps.store.finishCommand(runId, text, outcome.ok ? 'succeeded' : 'failed', durationMs, result, {
    ...(bound ? { bound } : {}),
    ...(completion ? { completion } : {}),
  });
  record(ctx, stepId, text, outcome.ok ? 'succeeded' : 'failed');
  if (bound) ctx.values.set(bound.name, bound.value);
  ctx.checkpoint('command.finished');
  return outcome.ok ? { kind: 'succeeded', text } : { kind: 'failed', text, error: outcome.error };
}

/**
 * Records a command whose answer was lost as applied, because a re-probe found its effect in the org: the journal
 * says so, what it made is bound (`found`), and the audit entry completing its "sent" entry says how it was judged.
 */
export async function recordFound(
  ctx: RunContext,
  text: string,
  op: Operation,
  how: string,
  found: BoundValue | undefined,
): Promise<void> {
  const { deps, runId } = ctx;
  const sentAs = ctx.journal.get(text)?.sentAs;
  const bound = op.bind && found ? { name: op.bind, value: found } : undefined;
  await deps.store.finishCommand(runId, text, 'succeeded', 0, how, {
    ...(bound ? { bound } : {}),
    completion: {
      ...ctx.entry('command', text, how),
      ...(sentAs === undefined ? {} : { completes: sentAs }),
    },
  });
  record(ctx, ctx.journal.get(text)?.stepId ?? '', text, 'succeeded');
  if (bound) ctx.values.set(bound.name, bound.value);
}

/** Closes the "sent" entry of a command whose outcome stays unknown, saying why the run could not tell. */
export async function recordUnknown(ctx: RunContext, text: string, why: string): Promise<void> {
  const sentAs = ctx.journal.get(text)?.sentAs;
  await ctx.deps.store.appendAudit({
    ...ctx.entry('command.unknown', text, `outcome unknown: ${why}`),
    ...(sentAs === undefined ? {} : { completes: sentAs }),
  });
}
