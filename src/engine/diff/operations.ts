/** Building the operations diffs plan: EMS commands, the certificate export, and the keyCredentials PATCH. */
import type { CmdletName } from '../../core/ems';
import type { KeyCredential } from '../../core/entra';
import {
  type EmsOperation,
  type GraphBody,
  type GraphOperation,
  type OperationParam,
  valueRef,
} from '../../core/plan';
import { keptKeyCredential } from '../../graph/key-upload';
import type { StepDiff } from '../plan-types';

/** A step that changes nothing: why, and what the plan should warn about. */
export const none = (detail: string, warnings: readonly string[] = []): StepDiff => ({
  change: 'none',
  operations: [],
  detail,
  warnings,
});

/** One EMS command as an operation, binding its first output object to `bind` when given. */
export function emsOp(
  cmdlet: CmdletName,
  params: Readonly<Record<string, OperationParam>>,
  bind?: string,
): EmsOperation {
  return bind ? { kind: 'ems', cmdlet, params, bind } : { kind: 'ems', cmdlet, params };
}

/** `$name = Export-ExchangeCertificate -Thumbprint … -BinaryEncoded`: the certificate's DER bytes as `$name.FileData`. */
export function exportOp(bind: string, thumbprint: OperationParam): EmsOperation {
  return emsOp('Export-ExchangeCertificate', { Thumbprint: thumbprint, BinaryEncoded: true }, bind);
}

/** Where a key lives: a service principal, or an application (the dedicated Exchange hybrid application). */
export type KeyHolderCollection = 'servicePrincipals' | 'applications';

/** A PATCH of one service principal (or application, by object id) with `body`. */
export function servicePrincipalPatch(
  servicePrincipalId: string,
  body: GraphBody,
  collection: KeyHolderCollection = 'servicePrincipals',
): GraphOperation {
  return {
    kind: 'graph',
    method: 'PATCH',
    path: [`/${collection}/${encodeURIComponent(servicePrincipalId)}`],
    body,
  };
}

/**
 * Graph replaces the whole keyCredentials collection: the kept keys go back with their bytes (read by id in the
 * plan's `$batch`), and the new key is the exported certificate's DER bytes, filled in at run time.
 */
export function keyCredentialsPatch(
  servicePrincipalId: string,
  keep: readonly KeyCredential[],
  exported: string | null,
  collection: KeyHolderCollection = 'servicePrincipals',
): GraphOperation {
  const kept = keep.map((key) => ({ ...keptKeyCredential(key) }) as GraphBody);
  // As the seed's script sends a new key: an X.509 certificate used to verify tokens.
  const added: GraphBody[] = exported
    ? [{ type: 'AsymmetricX509Cert', usage: 'Verify', key: valueRef(exported, 'FileData') }]
    : [];
  return servicePrincipalPatch(servicePrincipalId, { keyCredentials: [...kept, ...added] }, collection);
}
