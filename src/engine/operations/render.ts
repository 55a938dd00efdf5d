/**
 * Operations as admins read them: EMS commands as the PowerShell line to paste (every value a single-quoted
 * literal, named values as `$name.Field`), Graph requests as the exact request and the equivalent
 * Microsoft Graph PowerShell. Key bytes are shortened only here, never in what runs.
 */
import {
  type EmsOperation,
  type GraphBody,
  type GraphOperation,
  isValueRef,
  type Operation,
  type ValueRef,
} from '../../core/plan';
import { type Expression, quoteLiteral, renderCommandWithExpressions } from '../../exchange/render';
import { graphCmdlet, KEY_BYTES } from './graph-cmdlets';

export interface RenderOptions {
  /** Shorten key bytes to their first and last characters; for cards, the journal and the audit. */
  readonly elide?: boolean;
}

const LONG = 64;

/** `$newCertificate.Thumbprint`: a named value as PowerShell writes it (no angle brackets: Teams strips them). */
export function refText(ref: ValueRef): string {
  return `$${ref.$value}.${ref.field}`;
}

function shown(text: string, options: RenderOptions): string {
  return options.elide && text.length > LONG ? `${text.slice(0, 10)}…${text.slice(-10)}` : text;
}

/** The PowerShell line of an EMS operation, `$name = ` first when it binds its output. */
export function renderEmsOperation(op: EmsOperation): string {
  const params: Record<string, EmsOperation['params'][string] | Expression> = {};
  for (const [name, value] of Object.entries(op.params)) {
    params[name] = isValueRef(value) ? { expression: refText(value) } : value;
  }
  const line = renderCommandWithExpressions(op.cmdlet, params as Record<string, Expression>);
  return op.bind ? `$${op.bind} = ${line}` : line;
}

/** The request path under `/v1.0`, named values written in. */
export function graphPath(op: GraphOperation): string {
  return op.path.map((part) => (isValueRef(part) ? refText(part) : part)).join('');
}

function jsonWithRefs(body: GraphBody, options: RenderOptions, bytes = false): string {
  if (isValueRef(body)) return refText(body);
  if (typeof body === 'string') return JSON.stringify(bytes ? shown(body, options) : body);
  if (body === null || typeof body !== 'object') return JSON.stringify(body);
  if (Array.isArray(body)) return `[${body.map((item) => jsonWithRefs(item, options)).join(',')}]`;
  const members = Object.entries(body).map(
    ([key, value]) =>
      `${JSON.stringify(key)}:${jsonWithRefs(value as GraphBody, options, KEY_BYTES.has(key))}`,
  );
  return `{${members.join(',')}}`;
}

/** The request line: `PATCH /v1.0/servicePrincipals/… {"keyCredentials":[…]}`. */
export function renderGraphRequest(op: GraphOperation, options: RenderOptions = {}): string {
  const line = `${op.method} /v1.0${graphPath(op)}`;
  return op.body === null ? line : `${line} ${jsonWithRefs(op.body, options)}`;
}

function powershellValue(body: GraphBody, options: RenderOptions, bytes = false): string {
  if (isValueRef(body)) return refText(body);
  if (typeof body === 'string') return quoteLiteral(bytes ? shown(body, options) : body);
  if (typeof body === 'boolean') return body ? '$true' : '$false';
  if (typeof body === 'number') return String(body);
  if (body === null) return '$null';
  if (Array.isArray(body)) return `@(${body.map((item) => powershellValue(item, options)).join(', ')})`;
  const members = Object.entries(body).map(
    ([key, value]) =>
      `${quoteLiteral(key)} = ${powershellValue(value as GraphBody, options, KEY_BYTES.has(key))}`,
  );
  return `@{${members.join('; ')}}`;
}

function powershellUri(op: GraphOperation): string {
  const [first, ...rest] = op.path;
  const head = quoteLiteral(`v1.0${typeof first === 'string' ? first : ''}`);
  const tail = (typeof first === 'string' ? rest : op.path).map((part) =>
    isValueRef(part) ? refText(part) : quoteLiteral(part),
  );
  return tail.length === 0 ? head : `(${[head, ...tail].join(' + ')})`;
}

/**
 * The same request in Microsoft Graph PowerShell: the named cmdlet an admin would type
 * (`Update-MgServicePrincipal -ServicePrincipalId '…' -KeyCredentials @(…)`), or `Invoke-MgGraphRequest` with the
 * request as it is when no cmdlet sends exactly that request.
 */
export function renderGraphPowershell(op: GraphOperation, options: RenderOptions = {}): string {
  const named = graphCmdlet(op, (text) => shown(text, options));
  if (named !== null) return named;
  const body = op.body === null ? '' : ` -Body ${powershellValue(op.body, options)}`;
  const call = `Invoke-MgGraphRequest -Method ${op.method} -Uri ${powershellUri(op)}${body}`;
  return op.bind ? `$${op.bind} = ${call}` : call;
}

/** Every line an admin sees for an operation: one for EMS, the request and its Graph PowerShell for Graph. */
export function renderOperation(op: Operation, options: RenderOptions = {}): string {
  return op.kind === 'ems'
    ? renderEmsOperation(op)
    : `${renderGraphRequest(op, options)}\n${renderGraphPowershell(op, options)}`;
}

/** One line that names the operation in the journal, the audit log and progress: elided, as run. */
export function operationText(op: Operation): string {
  return op.kind === 'ems' ? renderEmsOperation(op) : renderGraphRequest(op, { elide: true });
}
