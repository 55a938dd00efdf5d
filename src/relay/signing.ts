/** Job signing: the bot signs each job payload with Ed25519; the agent pins the bot's public key. */

import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CodedError } from '../core/errors';

/** Signs the exact payload text; the signature is base64 (88 characters). */
export function signPayload(privateKey: KeyObject, payload: string): string {
  return sign(null, Buffer.from(payload, 'utf8'), privateKey).toString('base64');
}

/** Whether `signature` is the pinned key's signature over exactly `payload`. */
export function verifyPayload(publicKey: KeyObject, payload: string, signature: string): boolean {
  try {
    return verify(null, Buffer.from(payload, 'utf8'), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    // A signature of the wrong length or encoding is simply not a valid signature.
    return false;
  }
}

/** A fresh Ed25519 signing key. */
export function generateSigningKey(): KeyObject {
  return generateKeyPairSync('ed25519').privateKey;
}

/** The public half of a signing key, as SPKI PEM (what agents pin). */
export function publicKeyPem(privateKey: KeyObject): string {
  return createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
}

/** Reads an Ed25519 public key from PEM; throws BAD_KEY_FILE for anything else. */
export function parsePublicKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new CodedError('BAD_KEY_FILE', 'The bot public key is not a PEM public key.');
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new CodedError('BAD_KEY_FILE', `The bot public key must be Ed25519, not ${key.asymmetricKeyType}.`);
  }
  return key;
}

/** Loads the bot's signing key from `file`, creating it (mode 0600) the first time. */
export function loadOrCreateSigningKey(file: string): KeyObject {
  if (fs.existsSync(file)) {
    const key = createPrivateKey(fs.readFileSync(file, 'utf8'));
    if (key.asymmetricKeyType !== 'ed25519') {
      throw new CodedError('BAD_KEY_FILE', `Signing key ${file} must be Ed25519.`);
    }
    return key;
  }
  const key = generateSigningKey();
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const pem = key.export({ type: 'pkcs8', format: 'pem' }).toString();
  // 'wx' fails if another process created it meanwhile; then read theirs.
  try {
    fs.writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as { code?: string }).code === 'EEXIST') return loadOrCreateSigningKey(file);
    throw error;
  }
  return key;
}
