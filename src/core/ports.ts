/** The narrow interfaces the engine works through; the lab, the relay and the tests plug in here. */
import type { EmsCommand, EmsResult } from './ems';
import type {
  Application,
  ApplicationKeyUploadResult,
  AppRoleAssignment,
  AuthCertificate,
  Ensured,
  KeyRemovalResult,
  KeyUploadResult,
  NewApplication,
  RequiredResourceAccess,
  ResolvedAppRole,
  ServicePrincipal,
  TaggedServicePrincipal,
  VerificationDirectory,
} from './entra';

/** Runs Exchange Management Shell commands somewhere: the simulated org, or a relay agent. */
export interface EmsRunner {
  /** Runs one command. Resolves with the command's result; rejects only when its outcome is unknown. */
  run(command: EmsCommand): Promise<EmsResult>;
  /** Runs read-only commands together (one round trip on a relay). Same order as given. */
  runReads(commands: readonly EmsCommand[]): Promise<EmsResult[]>;
}

/** One Microsoft Graph request with every value known, as a saved plan's operation sends it. */
export interface GraphRequest {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Relative to `/v1.0`, starting with `/`. */
  readonly path: string;
  /** The JSON body; null for none. */
  readonly body: unknown;
}

/** The Entra side, through Microsoft Graph. */
export interface GraphPort {
  /**
   * Sends one request exactly as given and resolves with the response body (null when there is none).
   * Rejects with a GraphError carrying an HTTP status when Graph answered; anything else leaves the outcome unknown.
   */
  send(request: GraphRequest): Promise<unknown>;
  /** Reads several service principals (one `$batch`); null where no service principal has that appId. */
  readServicePrincipals(appIds: readonly string[]): Promise<Record<string, ServicePrincipal | null>>;
  /**
   * Reads in one `$batch` the service principals by appId and, when `dedicatedAppName` is given, that application, its
   * service principal's grants and full_access_as_app of Exchange Online. The application's failures come back as its
   * `error`; the service principals' reject, as readServicePrincipals does.
   */
  readVerificationDirectory(
    appIds: readonly string[],
    dedicatedAppName: string | null,
  ): Promise<VerificationDirectory>;
  /** Uploads the certificate's public key the seed's way: keeps unexpired keys, drops expired ones, skips a present thumbprint. */
  uploadAuthCertificate(appId: string, certificate: AuthCertificate): Promise<KeyUploadResult>;
  /** Replaces the service principal's servicePrincipalNames. */
  setServicePrincipalNames(appId: string, names: readonly string[]): Promise<ServicePrincipal>;
  /** Removes expired keys, keeping every unexpired one (the rotation's clean-up); absent on ports that cannot. */
  removeExpiredKeys?(appId: string): Promise<ServicePrincipal>;
  /** Removes the keys with these thumbprints from a service principal, keeping every other one; sends nothing when none is there. */
  removeServicePrincipalKeys(appId: string, thumbprints: readonly string[]): Promise<KeyRemovalResult>;

  /** The application with this display name, or null; GRAPH_AMBIGUOUS_APPLICATION when several have it. */
  findApplication(displayName: string): Promise<Application | null>;
  /** Creates a single-tenant (AzureADMyOrg) application. */
  createApplication(application: NewApplication): Promise<Application>;
  /** Adds permissions to an application's requiredResourceAccess, keeping every other entry; sends nothing when all are there. */
  addRequiredResourceAccess(appId: string, access: RequiredResourceAccess): Promise<Ensured<Application>>;
  /** Uploads the certificate to an application's keyCredentials the seed's way (unexpired keys kept, a present thumbprint skipped). */
  uploadApplicationCertificate(
    appId: string,
    certificate: AuthCertificate,
  ): Promise<ApplicationKeyUploadResult>;
  /** The application's service principal, created when absent (then its tags in a second call); missing tags added. */
  ensureServicePrincipal(appId: string, tags: readonly string[]): Promise<Ensured<TaggedServicePrincipal>>;
  /** An application permission a resource service principal defines, by its value; null when it has none such. */
  findAppRole(resourceAppId: string, value: string): Promise<ResolvedAppRole | null>;
  /** The app role assignments granted to a service principal (by its object id). */
  listAppRoleAssignments(principalId: string): Promise<AppRoleAssignment[]>;
  /** Grants an app role to a service principal (admin consent); lists first and sends nothing when granted already. */
  grantAppRole(principalId: string, role: ResolvedAppRole): Promise<Ensured<AppRoleAssignment>>;
}

/** Time, injected so tests and schedules never sleep. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
