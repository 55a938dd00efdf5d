/** The simulated Exchange org: runs EMS commands against the lab state with Exchange's semantics and texts. */
import { randomUUID } from 'node:crypto';
import type { CmdletName, EmsCommand, EmsErrorRecord, EmsResult } from '../core/ems';
import type { Clock } from '../core/ports';
import { isAllowedCmdlet, isMutating } from '../exchange/validate';
import {
  exportExchangeCertificate,
  getAuthConfig,
  getExchangeCertificate,
  newExchangeCertificate,
  setAuthConfig,
} from './exchange/auth';
import { getAuthServer, newAuthServer, setAuthServer } from './exchange/auth-servers';
import { checkBinding } from './exchange/binding';
import {
  getIntraOrganizationConnector,
  newIntraOrganizationConnector,
  setIntraOrganizationConnector,
} from './exchange/connectors';
import { type CmdletContext, type CmdletHandler, Params } from './exchange/context';
import { CmdletError, commandNotFound, domainControllerUnavailable, taskClass } from './exchange/errors';
import { sameName } from './exchange/names';
import {
  getSettingOverride,
  newSettingOverride,
  refreshVariantConfiguration,
  removeSettingOverride,
} from './exchange/overrides';
import {
  getPartnerApplication,
  newPartnerApplication,
  removePartnerApplication,
  setPartnerApplication,
} from './exchange/partner-apps';
import {
  getManagementRole,
  getManagementRoleAssignment,
  getManagementRoleEntry,
  newManagementRole,
  newManagementRoleAssignment,
  removeManagementRoleEntry,
} from './exchange/rbac';
import { getMailUser, newMailUser, setMailUser } from './exchange/recipients';
import { replicateAuthCertificates, runAuthAdmin } from './exchange/servicelets';
import { getAcceptedDomain, getExchangeServer, getOrganizationConfig } from './exchange/topology';
import { getMailboxAutoReplyConfiguration, testOAuthConnectivity } from './exchange/verification';
import type { LabState } from './state';

const HANDLERS: Record<CmdletName, CmdletHandler> = {
  'New-MailUser': newMailUser,
  'Get-MailUser': getMailUser,
  'Set-MailUser': setMailUser,
  'New-ManagementRole': newManagementRole,
  'Get-ManagementRole': getManagementRole,
  'Get-ManagementRoleEntry': getManagementRoleEntry,
  'Remove-ManagementRoleEntry': removeManagementRoleEntry,
  'New-ManagementRoleAssignment': newManagementRoleAssignment,
  'Get-ManagementRoleAssignment': getManagementRoleAssignment,
  'New-PartnerApplication': newPartnerApplication,
  'Get-PartnerApplication': getPartnerApplication,
  'Set-PartnerApplication': setPartnerApplication,
  'Remove-PartnerApplication': removePartnerApplication,
  'New-AuthServer': newAuthServer,
  'Get-AuthServer': getAuthServer,
  'Get-AuthConfig': getAuthConfig,
  'Set-AuthConfig': setAuthConfig,
  'Get-ExchangeCertificate': getExchangeCertificate,
  'Export-ExchangeCertificate': exportExchangeCertificate,
  'New-ExchangeCertificate': newExchangeCertificate,
  'Test-OAuthConnectivity': testOAuthConnectivity,
  'Get-MailboxAutoReplyConfiguration': getMailboxAutoReplyConfiguration,
  'Get-IntraOrganizationConnector': getIntraOrganizationConnector,
  'Get-ExchangeServer': getExchangeServer,
  'Get-OrganizationConfig': getOrganizationConfig,
  'Get-AcceptedDomain': getAcceptedDomain,
  'Set-AuthServer': setAuthServer,
  'New-IntraOrganizationConnector': newIntraOrganizationConnector,
  'Set-IntraOrganizationConnector': setIntraOrganizationConnector,
  'New-SettingOverride': newSettingOverride,
  'Get-SettingOverride': getSettingOverride,
  'Remove-SettingOverride': removeSettingOverride,
  'Get-ExchangeDiagnosticInfo': refreshVariantConfiguration,
};

/**
 * Whether a cmdlet can change the org, as the spec table says (the Refresh of Get-ExchangeDiagnosticInfo does);
 * a name outside the table (only an unchecked command has one) counts as a change unless it is a Get/Test/Export.
 */
export function isMutatingCmdlet(cmdlet: CmdletName): boolean {
  return isAllowedCmdlet(cmdlet) ? isMutating(cmdlet) : !/^(Get|Test|Export)-/.test(cmdlet);
}

export interface SimulatedExchangeOptions {
  readonly clock: Clock;
  /** Writes the state durably; called after every command, before its result is handed back. */
  readonly persist: () => void;
  /** Waits the org's simulated per-cmdlet latency; injected so tests don't sleep. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly newGuid?: () => string;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** An in-process Exchange org backed by a LabState; results match what the real cmdlets return. */
export class SimulatedExchange {
  // Commands run one at a time, like a single remote PowerShell runspace, so the log order is the run order.
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly state: LabState,
    private readonly options: SimulatedExchangeOptions,
  ) {}

  /** Runs one command; Exchange errors resolve as `{ok:false}`, and the state is persisted before resolving. */
  execute(command: EmsCommand): Promise<EmsResult> {
    return this.enqueue(() => this.runOne(command));
  }

  /** Runs read-only commands in order; a mutating cmdlet in the batch is refused without running. */
  async executeReads(commands: readonly EmsCommand[]): Promise<EmsResult[]> {
    const results: EmsResult[] = [];
    for (const command of commands) {
      if (isMutatingCmdlet(command.cmdlet)) {
        results.push(await this.enqueue(async () => this.refuseInReadBatch(command)));
      } else {
        results.push(await this.execute(command));
      }
    }
    return results;
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    // A failed persist rejects its own caller but must not wedge the commands queued behind it.
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async runOne(command: EmsCommand): Promise<EmsResult> {
    const latency = this.state.org.exchange.latencyMs;
    if (latency > 0) await (this.options.sleep ?? defaultSleep)(latency);
    const now = this.options.clock.now();
    // What Exchange's servicelets would have done by now happens before the command sees the org.
    runAuthAdmin(this.state, now);
    replicateAuthCertificates(this.state);
    const result = await this.dispatch(command, now);
    this.record(command, now, result);
    // Persisting before resolving means a crash after the org changed never loses the change.
    this.options.persist();
    return result;
  }

  private async dispatch(command: EmsCommand, now: Date): Promise<EmsResult> {
    const org = this.state.org;
    try {
      if (!Object.hasOwn(HANDLERS, command.cmdlet)) throw commandNotFound(command.cmdlet);
      checkBinding(command);
      const params = new Params(command.cmdlet, command.params);
      const requestedDc = params.string('DomainController');
      if (requestedDc !== undefined && !org.domainControllers.some((dc) => sameName(dc, requestedDc))) {
        throw domainControllerUnavailable(command.cmdlet, requestedDc);
      }
      const ctx: CmdletContext = {
        cmdlet: command.cmdlet,
        state: this.state,
        now,
        params,
        dc: requestedDc ?? org.domainControllers[0] ?? `dc01.${org.domain}`,
        newGuid: this.options.newGuid ?? randomUUID,
      };
      const output = await HANDLERS[command.cmdlet](ctx);
      return { ok: true, output };
    } catch (error) {
      return { ok: false, output: [], error: toErrorRecord(command.cmdlet, error) };
    }
  }

  private refuseInReadBatch(command: EmsCommand): EmsResult {
    const now = this.options.clock.now();
    const result: EmsResult = {
      ok: false,
      output: [],
      error: {
        message: `${command.cmdlet} changes the organization and can't run in a batch of read-only commands.`,
        category: 'InvalidOperation',
        errorId: `ReadBatchRefused,${taskClass(command.cmdlet)}`,
      },
    };
    this.record(command, now, result);
    this.options.persist();
    return result;
  }

  private record(command: EmsCommand, at: Date, result: EmsResult): void {
    this.state.org.commandLog.push({
      at: at.toISOString(),
      cmdlet: command.cmdlet,
      params: JSON.parse(JSON.stringify(command.params)) as Record<string, unknown>,
      mutating: isMutatingCmdlet(command.cmdlet),
      ok: result.ok,
      ...(result.ok ? {} : { error: result.error.message }),
    });
  }
}

/** Exchange errors keep their record; anything else (a lab defect) still resolves, as PowerShell would report it. */
function toErrorRecord(cmdlet: CmdletName, error: unknown): EmsErrorRecord {
  if (error instanceof CmdletError) return error.record;
  const message = error instanceof Error ? error.message : String(error);
  return { message, category: 'NotSpecified', errorId: `UnexpectedException,${taskClass(cmdlet)}` };
}
