/** Decoding a JWT without trusting it (jose; no signature check), with one clear sentence when it is not one. */
import { decodeProtectedHeader, errors, decodeJwt as josePayload } from 'jose';

export interface DecodedJwt {
  readonly header: Record<string, unknown>;
  readonly payload: Record<string, unknown>;
  /** Whether a signature part is present (it is never verified). */
  readonly signed: boolean;
}

export type DecodeOutcome =
  | { readonly ok: true; readonly jwt: DecodedJwt }
  | { readonly ok: false; readonly problem: string };

// Node's base64url decoder skips characters outside the alphabet, so jose cannot tell "not base64url" apart.
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

/** Strips `Authorization:`, `Bearer` and whitespace, so a pasted header works as well as the bare token. */
export function tokenFromInput(input: string): string {
  return input
    .trim()
    .replace(/^authorization\s*:\s*/i, '')
    .replace(/^bearer\s+/i, '')
    .replace(/^["']|["']$/g, '')
    .trim();
}

/** What jose's refusal of the token means, in the admin's words. */
function payloadProblem(error: unknown, token: string): string {
  const parts = token.split('.');
  const message = error instanceof errors.JWTInvalid ? error.message : '';
  if (parts.length !== 3)
    return `expected three parts separated by dots (header.payload.signature), found ${parts.length}.`;
  if (!BASE64URL.test(parts[1] ?? '')) return 'its payload (second part) is not base64url text.';
  if (message === 'Invalid JWT Claims Set') return 'its payload (second part) is not a JSON object.';
  return 'its payload (second part) does not decode to JSON.';
}

/** Decodes `header.payload[.signature]`; never verifies the signature. */
export function decodeJwt(input: string): DecodeOutcome {
  const token = tokenFromInput(input);
  if (token === '')
    return { ok: false, problem: 'No token given: paste the JWT or the whole Authorization header.' };
  let payload: Record<string, unknown>;
  try {
    payload = josePayload(token);
  } catch (error) {
    return { ok: false, problem: `That is not a JWT: ${payloadProblem(error, token)}` };
  }
  const [headerPart = '', , signature = ''] = token.split('.');
  try {
    return { ok: true, jwt: { header: decodeProtectedHeader(token), payload, signed: signature.length > 0 } };
  } catch {
    const why = BASE64URL.test(headerPart) ? 'does not decode to a JSON object' : 'is not base64url text';
    return { ok: false, problem: `That is not a JWT: its header (first part) ${why}.` };
  }
}
