/**
 * The seed's key upload on any object that holds keys — a service principal or an application — so both follow
 * one piece of logic: plan on the keys as listed; only when something changes, read them again with their bytes
 * (Graph returns `key` only on a single-object read that selects keyCredentials), plan again, write the whole
 * collection back.
 */
import type { AuthCertificate, KeyCredential, KeyUploadPlan } from '../core/entra';
import {
  buildKeyCredentialsPatch,
  type KeyCredentialsPatchBody,
  keptKeyCredential,
  planKeyUpload,
} from './key-upload';

/** Where keys live, as Graph reads and writes them. */
export interface KeyHolder {
  /** The keys as first read (`key` may be null). */
  readonly listed: readonly KeyCredential[];
  /** The keys with their bytes. */
  readKeys(): Promise<KeyCredential[]>;
  /** Replaces the whole keyCredentials collection. */
  writeKeys(body: KeyCredentialsPatchBody): Promise<void>;
}

/** What an upload decided, the keys it decided on, and whether it wrote. */
export interface KeyUploadOutcome {
  readonly plan: KeyUploadPlan;
  readonly keys: readonly KeyCredential[];
  readonly written: boolean;
}

/** Uploads `certificate` to `holder`: unexpired keys kept, expired ones dropped, a present thumbprint skipped. */
export async function uploadKey(
  holder: KeyHolder,
  certificate: AuthCertificate,
  now: Date,
): Promise<KeyUploadOutcome> {
  const first = planKeyUpload(holder.listed, certificate, now);
  if (first.change === 'none') return { plan: first, keys: holder.listed, written: false };
  const keys = await holder.readKeys();
  const plan = planKeyUpload(keys, certificate, now);
  if (plan.change === 'none') return { plan, keys, written: false };
  await holder.writeKeys(buildKeyCredentialsPatch(plan, certificate));
  return { plan, keys, written: true };
}

/** Removes the keys whose thumbprint is one of `thumbprints`, writing back every other key with its bytes. */
export async function removeKeys(
  holder: KeyHolder,
  thumbprints: readonly string[],
): Promise<{ readonly removed: KeyCredential[]; readonly written: boolean }> {
  const wanted = new Set(thumbprints.map((thumbprint) => thumbprint.toUpperCase()));
  const matches = (key: KeyCredential) => wanted.has((key.customKeyIdentifier ?? '').toUpperCase());
  if (!holder.listed.some(matches)) return { removed: [], written: false };
  const keys = await holder.readKeys();
  const removed = keys.filter(matches);
  if (removed.length === 0) return { removed, written: false };
  await holder.writeKeys({ keyCredentials: keys.filter((key) => !matches(key)).map(keptKeyCredential) });
  return { removed, written: true };
}
