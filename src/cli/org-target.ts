/**
 * Where plan, apply and verify run: a lab file (the simulated org in-process, or through real PowerShell and
 * the HybridOps.Lab module with `--executor powershell`), or a real org with `--ems local|remote` on an
 * Exchange server or a management host.
 */
import path from 'node:path';
import { orgTarget } from '../config/orgs-file';
import { CodedError } from '../core/errors';
import type { Clock, EmsRunner, GraphPort } from '../core/ports';
import { refuseLockedLabFile } from '../lab/lab-lock';
import { type LabSession, openLabSession } from '../lab/lab-session';
import { labModuleExecutor } from '../lab/module-executor';
import { LAB_MODULE_PATH } from '../lab/powershell-endpoint';
import type { LabState } from '../lab/state';
import { executorEmsRunner } from '../relay/executors/executor-ems-runner';
import { powershellExecutor } from '../relay/executors/powershell';
import type { CliOptions } from './args';
import { graphFromEnvironment } from './graph-from-env';
import { type OrgDefaults, openFileOrg, refuseOrgWithoutEms } from './org-of-file';

/** The org a command works on, and what the CLI may default from it. */
export interface OrgTarget {
  readonly ems: EmsRunner;
  readonly graph: GraphPort;
  /** How the journal and the audit log name the org: `lab:<file>` or `org:<domain>`. */
  readonly target: string;
  /** The lab's state, when the target is a lab (its domain, DC and tenant are the defaults). */
  readonly lab: LabState | null;
  /** The tenant the Graph credential is for, when the target is a real org. */
  readonly tenantId: string | null;
  /** The orgs file's entry `--org` names: its domain, DC, tenant, runbook and verify mailbox are the defaults. */
  readonly entry: OrgDefaults | null;
  close(): Promise<void>;
}

/**
 * Test hook, lab only: with HYBRIDOPS_EMS_LAB_URL and HYBRIDOPS_EMS_LAB_SECRET set (a running lab's module
 * endpoint), `--ems local` imports HybridOps.Lab into the shell instead of the Exchange snap-in. The CLI
 * says so on stderr every time.
 */
export const EMS_LAB_HOOK = ['HYBRIDOPS_EMS_LAB_URL', 'HYBRIDOPS_EMS_LAB_SECRET'] as const;

/** Opens the target the options name; throws a USAGE error for a combination that cannot work. */
export async function openOrgTarget(
  options: CliOptions,
  env: NodeJS.ProcessEnv,
  clock: Clock,
  warn: (text: string) => void,
): Promise<OrgTarget> {
  refuseOrgWithoutEms(options);
  if (options.ems !== undefined) {
    if (options.lab !== undefined)
      throw new CodedError('USAGE', '--ems and --lab name different orgs: give one.');
    if (options.executor !== undefined && options.executor !== 'powershell') {
      throw new CodedError('USAGE', '--ems runs through PowerShell: --executor lab needs --lab FILE.');
    }
    return openRealOrg(options, env, clock, warn);
  }
  if (options.lab === undefined)
    throw new CodedError('USAGE', '--lab FILE or --ems local|remote is required.');
  refuseLockedLabFile(options.lab);
  const lab = await openLabSession(options.lab, clock);
  const target = `lab:${path.resolve(options.lab)}`;
  switch (options.executor ?? 'lab') {
    case 'lab':
      return {
        ems: lab.ems,
        graph: lab.graph,
        target,
        lab: lab.state,
        tenantId: null,
        entry: null,
        close: () => lab.close(),
      };
    case 'powershell':
      return labThroughPowershell(lab, target);
    default:
      await lab.close();
      throw new CodedError('USAGE', `--executor must be lab or powershell, not "${options.executor}".`);
  }
}

/** The lab file's org behind real PowerShell: executor → pwsh → HybridOps.Lab → this process's simulated org. */
async function labThroughPowershell(lab: LabSession, target: string): Promise<OrgTarget> {
  const ems = executorEmsRunner(await labModuleExecutor(lab.exchange));
  return {
    ems,
    graph: lab.graph,
    target,
    lab: lab.state,
    tenantId: null,
    entry: null,
    close: async () => {
      // Closing the executor stops its shell and then the module's endpoint.
      await ems.close();
      await lab.close();
    },
  };
}

/** Settings that hold a credential or a database password, which the Exchange shell has no use for. */
const WITHHELD = [
  'HYBRIDOPS_GRAPH_CERTIFICATE',
  'HYBRIDOPS_GRAPH_CERTIFICATE_FILE',
  'HYBRIDOPS_GRAPH_CLIENT_SECRET',
  'HYBRIDOPS_DB',
  'HYBRIDOPS_LAB_SECRET',
  'HYBRIDOPS_EMS_LAB_SECRET',
  'AZURE_CLIENT_SECRET',
  'AZURE_CLIENT_CERTIFICATE_PASSWORD',
];

/**
 * The Exchange shell's environment: this process's, less the Graph credentials and the database URL, the
 * setting the org's entry keeps its credential in, and any setting that holds a private key.
 */
export function shellEnvironment(
  env: NodeJS.ProcessEnv,
  credentialSetting: string | null,
): NodeJS.ProcessEnv {
  const withheld = new Set([...WITHHELD, ...(credentialSetting ? [credentialSetting] : [])]);
  return Object.fromEntries(
    Object.entries(env).filter(
      ([name, value]) => !withheld.has(name) && !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(value ?? ''),
    ),
  );
}

async function openRealOrg(
  options: CliOptions,
  env: NodeJS.ProcessEnv,
  clock: Clock,
  warn: (text: string) => void,
): Promise<OrgTarget> {
  const mode = options.ems;
  if (mode !== 'local' && mode !== 'remote')
    throw new CodedError('USAGE', `--ems must be local or remote, not "${mode}".`);
  if (mode === 'remote' && !options['connection-uri']) {
    throw new CodedError('USAGE', '--ems remote needs --connection-uri http://EXCHANGE-SERVER/PowerShell/.');
  }
  if (mode === 'local' && options['connection-uri']) {
    throw new CodedError(
      'USAGE',
      '--connection-uri is for --ems remote; --ems local uses this server’s shell.',
    );
  }
  if (!options.domain && !options.org)
    throw new CodedError(
      'USAGE',
      '--ems needs --domain (the org’s verified domain), or --org ID of the orgs file.',
    );
  const fileOrg = options.org ? openFileOrg(options, env, clock) : null;
  const graph = fileOrg?.graph ?? graphFromEnvironment(env, clock);
  const hookUrl = env[EMS_LAB_HOOK[0]];
  const hookSecret = env[EMS_LAB_HOOK[1]];
  const useLabModule = mode === 'local' && hookUrl !== undefined && hookSecret !== undefined;
  if (useLabModule) {
    warn(
      `hybridops: --ems local is the lab module HybridOps.Lab at ${hookUrl} (${EMS_LAB_HOOK[0]}), not Exchange.`,
    );
  }
  const shellEnv = shellEnvironment(process.env, fileOrg?.credentialSetting ?? null);
  const executor = useLabModule
    ? powershellExecutor({
        exchange: 'lab',
        lab: { modulePath: LAB_MODULE_PATH },
        env: { ...shellEnv, HYBRIDOPS_LAB_URL: hookUrl, HYBRIDOPS_LAB_SECRET: hookSecret },
      })
    : powershellExecutor({
        exchange: mode,
        env: shellEnv,
        ...(options['connection-uri'] ? { connectionUri: options['connection-uri'] } : {}),
      });
  const ems = executorEmsRunner(executor);
  return {
    ems,
    graph: graph.graph,
    target: fileOrg?.target ?? orgTarget(options.domain as string),
    lab: null,
    tenantId: graph.tenantId,
    entry: fileOrg?.entry ?? null,
    close: async () => {
      await ems.close();
      await graph.close();
    },
  };
}
