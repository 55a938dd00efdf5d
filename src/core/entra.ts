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

/** One API an application asks permissions of: application permissions are `Role`, delegated ones `Scope`. */
export interface RequiredResourceAccess {
  readonly resourceAppId: string;
  readonly resourceAccess: readonly { readonly id: string; readonly type: 'Role' | 'Scope' }[];
}

/** An app registration (the dedicated Exchange hybrid application is one). */
export interface Application {
  /** The application object's id (not its appId). */
  readonly id: string;
  readonly appId: string;
  readonly displayName: string;
  /** `AzureADMyOrg` for a single-tenant application. */
  readonly signInAudience: string;
  readonly keyCredentials: readonly KeyCredential[];
  readonly requiredResourceAccess: readonly RequiredResourceAccess[];
}

/** What a new application is given; it is always created single tenant (`AzureADMyOrg`). */
export interface NewApplication {
  readonly displayName: string;
  readonly description?: string;
  readonly notes?: string;
}

/** An application role of a resource service principal, resolved by its value (e.g. `full_access_as_app`). */
export interface ResolvedAppRole {
  /** The resource service principal's object id (appRoleAssignment's resourceId). */
  readonly resourceId: string;
  readonly resourceAppId: string;
  readonly appRoleId: string;
  readonly value: string;
  readonly displayName: string;
}

/** An application permission granted to a service principal (admin consent). */
export interface AppRoleAssignment {
  readonly id: string;
  readonly principalId: string;
  readonly resourceId: string;
  readonly appRoleId: string;
  readonly createdDateTime: string;
}

/** The dedicated Exchange hybrid application as a verification reads it; `error` when Graph could not be read. */
export interface DedicatedAppReading {
  /** The application (read in a list, so its keys come without their bytes); null when none has the name. */
  readonly application: Application | null;
  /** The object id of its service principal; null when it has none. */
  readonly principalId: string | null;
  /** full_access_as_app of Office 365 Exchange Online; null when the resource defines none, or there is no application. */
  readonly role: ResolvedAppRole | null;
  /** Whether the role is granted to its service principal (admin consent). */
  readonly granted: boolean;
  readonly error: string | null;
}

/** What a verification reads from Entra: service principals by appId and, when named, the dedicated application. */
export interface VerificationDirectory {
  /** Null where no service principal has that appId. */
  readonly principals: Record<string, ServicePrincipal | null>;
  /** Null when no dedicated application name was given. */
  readonly dedicatedApp: DedicatedAppReading | null;
}

/** What an idempotent write did: `none` when everything was already in place (and nothing was sent). */
export interface Ensured<T> {
  readonly change: 'create' | 'update' | 'none';
  readonly value: T;
}

/** A service principal with its tags (the dedicated application's are WindowsAzureActiveDirectoryIntegratedApp, HideApp). */
export interface TaggedServicePrincipal extends ServicePrincipal {
  readonly tags: readonly string[];
}

/** What uploading a key to an application will do (or did). */
export interface ApplicationKeyUploadResult extends KeyUploadPlan {
  readonly application: Application;
}

/** What removing keys from a service principal did: the keys removed (none: nothing was sent). */
export interface KeyRemovalResult {
  readonly removed: readonly KeyCredential[];
  readonly servicePrincipal: ServicePrincipal;
}
