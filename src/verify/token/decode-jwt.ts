/** Decoding a JWT without trusting it: no signature check, only structure, and one clear sentence when it is not one. */

export interface DecodedJwt {
  readonly header: Record<string, unknown>;
  readonly payload: Record<string, unknown>;
  /** Whether a signature part is present (it is never verified). */
  readonly signed: boolean;
}

export type DecodeOutcome =
  | { readonly ok: true; readonly jwt: DecodedJwt }
  | { readonly ok: false; readonly problem: string };

const BASE64URL = /^[A-Za-z0-9_-]*={0,2}$/;

/** Strips `Authorization:`, `Bearer` and whitespace, so a pasted header works as well as the bare token. */
export function tokenFromInput(input: string): string {
  return input
    .trim()
    .replace(/^authorization\s*:\s*/i, '')
    .replace(/^bearer\s+/i, '')
    .replace(/^["']|["']$/g, '')
    .trim();
}

function decodePart(part: string, name: string): Record<string, unknown> | string {
  if (!BASE64URL.test(part) || part.length === 0) return `its ${name} is not base64url text.`;
  let text: string;
  try {
    text = Buffer.from(part, 'base64url').toString('utf8');
  } catch {
    return `its ${name} is not base64url text.`;
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return `its ${name} is not a JSON object.`;
    return value as Record<string, unknown>;
  } catch {
    return `its ${name} does not decode to JSON.`;
  }
}

/** Decodes `header.payload[.signature]`; never verifies the signature. */
export function decodeJwt(input: string): DecodeOutcome {
  const token = tokenFromInput(input);
  if (token === '')
    return { ok: false, problem: 'No token given: paste the JWT or the whole Authorization header.' };
  const parts = token.split('.');
  if (parts.length !== 3) {
    return {
      ok: false,
      problem: `That is not a JWT: expected three parts separated by dots (header.payload.signature), found ${parts.length}.`,
    };
  }
  const [headerPart = '', payloadPart = '', signature = ''] = parts;
  const header = decodePart(headerPart, 'header (first part)');
  if (typeof header === 'string') return { ok: false, problem: `That is not a JWT: ${header}` };
  const payload = decodePart(payloadPart, 'payload (second part)');
  if (typeof payload === 'string') return { ok: false, problem: `That is not a JWT: ${payload}` };
  return { ok: true, jwt: { header, payload, signed: signature.length > 0 } };
}
