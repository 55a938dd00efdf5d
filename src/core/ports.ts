/** The narrow interfaces the engine works through; the lab, the relay and the tests plug in here. */
import type { EmsCommand, EmsResult } from './ems';
import type { AuthCertificate, KeyUploadResult, ServicePrincipal } from './entra';

/** Runs Exchange Management Shell commands somewhere: the simulated org, or a relay agent. */
export interface EmsRunner {
  /** Runs one command. Resolves with the command's result; rejects only when its outcome is unknown. */
  run(command: EmsCommand): Promise<EmsResult>;
  /** Runs read-only commands together (one round trip on a relay). Same order as given. */
  runReads(commands: readonly EmsCommand[]): Promise<EmsResult[]>;
}

/** The Entra side, through Microsoft Graph. */
export interface GraphPort {
  /** Reads several service principals (one `$batch`); null where no service principal has that appId. */
  readServicePrincipals(appIds: readonly string[]): Promise<Record<string, ServicePrincipal | null>>;
  /** Uploads the certificate's public key the seed's way: keeps unexpired keys, drops expired ones, skips a present thumbprint. */
  uploadAuthCertificate(appId: string, certificate: AuthCertificate): Promise<KeyUploadResult>;
  /** Replaces the service principal's servicePrincipalNames. */
  setServicePrincipalNames(appId: string, names: readonly string[]): Promise<ServicePrincipal>;
  /** Removes expired keys, keeping every unexpired one (the rotation's clean-up); absent on ports that cannot. */
  removeExpiredKeys?(appId: string): Promise<ServicePrincipal>;
}

/** Time, injected so tests and schedules never sleep. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
