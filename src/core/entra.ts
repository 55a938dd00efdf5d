/** Entra objects as Microsoft Graph v1.0 returns them, narrowed to what hybridops reads. */

export interface KeyCredential {
  readonly keyId: string;
  /** For certificates Entra stores the SHA-1 thumbprint in upper-case hex (valid base64 text). */
  readonly customKeyIdentifier: string | null;
  readonly displayName: string | null;
  readonly type: string;
  readonly usage: string;
  /** Base64 DER; Graph returns it only on GET servicePrincipals/{id}?$select=keyCredentials. */
  readonly key: string | null;
  readonly startDateTime: string;
  readonly endDateTime: string;
}

export interface ServicePrincipal {
  readonly id: string;
  readonly appId: string;
  readonly displayName: string;
  readonly servicePrincipalNames: readonly string[];
  readonly keyCredentials: readonly KeyCredential[];
}

/** The public half of the Exchange auth certificate, as exported from the server. */
export interface AuthCertificate {
  /** SHA-1 of the DER bytes, upper-case hex, as Exchange shows it. */
  readonly thumbprint: string;
  readonly subject: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly derBase64: string;
}

/** What uploading a key to one service principal will do (or did). */
export interface KeyUploadPlan {
  readonly change: 'create' | 'update' | 'none';
  /** Unexpired keys that stay. */
  readonly keep: readonly KeyCredential[];
  /** Expired keys that go. */
  readonly drop: readonly KeyCredential[];
  /** Whether the certificate's key is added. */
  readonly add: boolean;
  /** One sentence for the admin. */
  readonly reason: string;
}

export interface KeyUploadResult extends KeyUploadPlan {
  readonly servicePrincipal: ServicePrincipal;
}
