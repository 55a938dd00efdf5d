/** Running one operation of a saved plan through the right port, with its named values filled in. */
import { createHash } from 'node:crypto';
import type { EmsCommand, EmsResult } from '../../core/ems';
import { CodedError } from '../../core/errors';
import type { Operation } from '../../core/plan';
import type { EmsRunner, GraphPort, GraphRequest } from '../../core/ports';
import { isMutating, validateCommand } from '../../exchange/validate';
import type { BoundValue } from '../plan-types';
import { operationText } from './render';
import { type BoundValues, emsCommandOf, fillKnown, graphRequestOf } from './values';

export type OperationOutcome =
  | { readonly ok: true; readonly summary: string; readonly output: BoundValue | null }
  | { readonly ok: false; readonly error: string };

/** Whether the operation changes the org (reads, such as the certificate export, never do). */
export function isMutatingOperation(op: Operation): boolean {
  return op.kind === 'ems' ? isMutating(op.cmdlet) : op.method !== 'GET';
}

/** An export answers with the certificate it was asked for: the SHA-1 of its DER bytes is the thumbprint. */
function exportedOtherBytes(command: EmsCommand, result: EmsResult): string | null {
  if (command.cmdlet !== 'Export-ExchangeCertificate' || !result.ok || command.params.BinaryEncoded !== true)
    return null;
  const data = result.output[0]?.FileData;
  const thumbprint = String(command.params.Thumbprint ?? '').toUpperCase();
  const sha1 =
    typeof data === 'string'
      ? createHash('sha1').update(Buffer.from(data, 'base64')).digest('hex').toUpperCase()
      : '';
  return sha1 === thumbprint
    ? null
    : `Export-ExchangeCertificate returned bytes that are not certificate ${thumbprint}; nothing is uploaded.`;
}

async function runEms(command: EmsCommand, ems: EmsRunner): Promise<OperationOutcome> {
  const result = await ems.run(command);
  if (!result.ok) return { ok: false, error: result.error.message };
  const wrong = exportedOtherBytes(command, result);
  if (wrong) return { ok: false, error: wrong };
  return {
    ok: true,
    summary: `${result.output.length} object(s)`,
    output: (result.output[0] as BoundValue | undefined) ?? null,
  };
}

/** A Graph status that is a definite answer; a 5xx (the gateway may have passed the write on) or no answer is not. */
function definite(error: unknown): string | null {
  const status = (error as { status?: unknown }).status;
  const code = (error as { code?: unknown }).code;
  if (typeof status === 'number' && status >= 400 && status < 500) return (error as Error).message;
  // No token was obtained: nothing was sent.
  if (code === 'GRAPH_AUTH_FAILED') return (error as Error).message;
  return null;
}

/** An operation with every named value filled in, ready to send, and the one line that names it as sent. */
export type PreparedOperation =
  | { readonly kind: 'ems'; readonly command: EmsCommand; readonly text: string }
  | { readonly kind: 'graph'; readonly request: GraphRequest; readonly text: string };

/** Fills an operation's named values and checks it; throws STEP_FAILED (nothing sent) when one is not known. */
export function prepareOperation(op: Operation, values: BoundValues): PreparedOperation {
  const text = operationText(fillKnown(op, values));
  if (op.kind === 'ems') return { kind: 'ems', command: validateCommand(emsCommandOf(op, values)), text };
  return { kind: 'graph', request: graphRequestOf(op, values), text };
}

/**
 * Sends a prepared operation. Resolves with its outcome; rejects only when the outcome is unknown (the connection
 * to the agent or to Graph was lost), so the caller re-probes instead of repeating it.
 */
export async function sendOperation(
  prepared: PreparedOperation,
  ports: { readonly ems: EmsRunner; readonly graph: GraphPort },
): Promise<OperationOutcome> {
  if (prepared.kind === 'ems') return runEms(prepared.command, ports.ems);
  const { request } = prepared;
  try {
    const body = await ports.graph.send(request);
    const output =
      body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as BoundValue) : null;
    return { ok: true, summary: `${request.method} answered`, output };
  } catch (error) {
    const message = definite(error);
    if (message !== null) return { ok: false, error: message };
    throw new CodedError('OUTCOME_UNKNOWN', `Graph gave no answer to ${request.method} ${request.path}.`, {
      cause: error,
    });
  }
}
