/**
 * Economy: what an apply costs the org against the procedure it follows, measured in the same run.
 *
 * - EMS cmdlets an apply (plan and apply in one go) of each seed runbook executes on a fresh lab org, against
 *   the procedure's own command count. The counts, from the seeds (/work/shared/seeds, by file):
 *   - teams (000): New-MailUser, Set-MailUser, New-ManagementRole, Get-ManagementRoleEntry piped to
 *     Remove-ManagementRoleEntry (5 of UserApplication's 6 entries in the lab), New-ManagementRoleAssignment,
 *     New-PartnerApplication ×3 (steps 2–5), Get-AuthConfig (ExportAuthCert.ps1, step 6): 14.
 *   - sfb-online (001): New-MailUser, Set-MailUser, New-ManagementRole, Get-ManagementRoleEntry +
 *     Remove-ManagementRoleEntry ×5, New-ManagementRoleAssignment, New-PartnerApplication, Get-AuthConfig: 12.
 *   - sfb-online-2019 (002): New-MailUser, Set-MailUser, New-ManagementRoleAssignment ×2, New-PartnerApplication: 5.
 *   - sfb-legacy (003): New-AuthServer, Get-PartnerApplication piped to Set-PartnerApplication, New-MailUser,
 *     Set-MailUser, New-ManagementRoleAssignment ×2, New-PartnerApplication, Get-AuthConfig: 9.
 *   The export itself (Get-ChildItem Cert:, X509 export) and the Graph or MSOnline upload are not EMS cmdlets.
 * - The wall time of `teams` over a link with 50 ms round trips (relay and Graph) and cmdlets of 200 ms, against
 *   the procedure's commands sent one by one over the same link: its 14 EMS commands, and the upload script's
 *   Graph requests (per service principal: Get-MgServicePrincipal twice, Update-MgServicePrincipal).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EmsCommand } from '../src/core/ems';
import type { EmsRunner, GraphPort } from '../src/core/ports';
import { applyRunbook } from '../src/engine/apply';
import { delegatingGraphPort } from '../src/graph/delegating-port';
import { createLabState } from '../src/lab/init';
import { createLabFile } from '../src/lab/lab-file';
import { type LabSession, openLabSession } from '../src/lab/lab-session';
import { labExecutor } from '../src/lab/relay-executor';
import type { LabState } from '../src/lab/state';
import { RelayEmsRunner } from '../src/relay/ems-runner';
import { getRunbook, validateInputs } from '../src/runbooks';
import { APP_IDS } from '../src/runbooks/app-ids';
import { openStore } from '../src/store/open-store';
import { type BenchFigure, median, ratioFigure } from './harness';
import { slowLink, startRelay } from './relay-fixtures';

const clock = { now: () => new Date() };
const DC = 'dc01.contoso.com';
const dc = { DomainController: DC };

/** EMS commands of each seed procedure as written (see above). */
export const PROCEDURE_COMMANDS = {
  teams: 14,
  'sfb-online': 12,
  'sfb-online-2019': 5,
  'sfb-legacy': 9,
} as const;

function labAt(dir: string, name: string, state: LabState): string {
  const file = path.join(dir, name);
  createLabFile(file, structuredClone(state), { overwrite: true });
  return file;
}

async function applyOn(
  session: Pick<LabSession, 'ems' | 'graph'>,
  runbookName: string,
  storeFile: string,
  target: string,
): Promise<void> {
  const runbook = getRunbook(runbookName);
  const inputs = validateInputs(runbook, { domain: 'contoso.com', dc: DC });
  const store = await openStore(storeFile);
  try {
    const result = await applyRunbook(
      { runbook, inputs, target, requestedBy: 'bench', approvedBy: null },
      { ems: session.ems, graph: session.graph, clock, store: store.runs },
    );
    if (result.state !== 'succeeded')
      throw new Error(`bench apply of ${runbookName} failed: ${result.error}`);
  } finally {
    await store.close();
  }
}

/** Cmdlets an apply of each seed runbook executes on a fresh lab org, against its procedure's command count. */
async function cmdletCounts(dir: string, fresh: LabState): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  for (const [name, procedure] of Object.entries(PROCEDURE_COMMANDS)) {
    const session = await openLabSession(labAt(dir, `count-${name}.json`, fresh), clock);
    try {
      await applyOn(session, name, path.join(dir, `count-${name}.db`), `bench-${name}`);
      const executed = session.state.org.commandLog.length;
      figures.push(
        ratioFigure(
          `economy: EMS cmdlets of an apply of ${name} vs the procedure's`,
          'cmdlets',
          executed,
          procedure,
          2,
        ),
      );
    } finally {
      await session.close();
    }
  }
  return figures;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Graph over a link with `roundTripMs` round trips: every request waits that long before it is answered. */
function slowGraph(graph: GraphPort, roundTripMs: number): GraphPort {
  return {
    ...delegatingGraphPort(graph),
    readServicePrincipals: async (appIds) => {
      await sleep(roundTripMs);
      return graph.readServicePrincipals(appIds);
    },
    readVerificationDirectory: async (appIds, dedicatedAppName) => {
      await sleep(roundTripMs);
      return graph.readVerificationDirectory(appIds, dedicatedAppName);
    },
    send: async (request) => {
      await sleep(roundTripMs);
      return graph.send(request);
    },
  };
}

/** The teams procedure's EMS commands, as written, one after the other. */
function teamsProcedure(entries: readonly string[]): EmsCommand[] {
  const account = 'TeamsScheduler';
  const partner = (Name: string, ApplicationIdentifier: string, LinkedAccount?: string): EmsCommand => ({
    cmdlet: 'New-PartnerApplication',
    params: {
      Name,
      ApplicationIdentifier,
      Enabled: true,
      ...(LinkedAccount ? { LinkedAccount } : {}),
      ...dc,
    },
  });
  return [
    {
      cmdlet: 'New-MailUser',
      params: {
        Name: account,
        ApplicationAccount: true,
        ExternalEmailAddress: 'TeamsScheduler-ApplicationAccount@contoso.com',
        ...dc,
      },
    },
    { cmdlet: 'Set-MailUser', params: { Identity: account, HiddenFromAddressListsEnabled: true, ...dc } },
    {
      cmdlet: 'New-ManagementRole',
      params: { Name: 'TeamsSchedulerRole', Parent: 'UserApplication', ...dc },
    },
    { cmdlet: 'Get-ManagementRoleEntry', params: { Identity: 'TeamsSchedulerRole\\*', ...dc } },
    ...entries
      .filter((entry) => entry !== 'GetDelegate')
      .map(
        (entry): EmsCommand => ({
          cmdlet: 'Remove-ManagementRoleEntry',
          params: { Identity: `TeamsSchedulerRole\\${entry}`, Confirm: false, ...dc },
        }),
      ),
    { cmdlet: 'New-ManagementRoleAssignment', params: { Role: 'TeamsSchedulerRole', User: account, ...dc } },
    partner('SfBOnline', APP_IDS.skypeForBusinessOnline, account),
    partner('TeamsScheduler', APP_IDS.teamsScheduler, account),
    partner('CloudVoicemail', APP_IDS.cloudVoicemail),
    { cmdlet: 'Get-AuthConfig', params: {} },
  ];
}

/** The procedure by hand: every EMS command its own round trip, then the upload script's Graph requests one by one. */
async function byHand(ems: EmsRunner, graph: GraphPort, state: LabState): Promise<void> {
  const entries = state.org.managementRoles.find((role) => role.name === 'UserApplication')?.entries ?? [];
  for (const command of teamsProcedure(entries)) await ems.run(command);
  const current = state.org.authConfig.currentCertificateThumbprint;
  const key = state.org.certificates.find((cert) => cert.thumbprint === current)?.derBase64 ?? '';
  for (const appId of [APP_IDS.cloudVoicemail, APP_IDS.teamsScheduler, APP_IDS.skypeForBusinessOnline]) {
    const filter = `/servicePrincipals?$filter=${encodeURIComponent(`appId eq '${appId}'`)}`;
    const found = (await graph.send({ method: 'GET', path: filter, body: null })) as {
      value: { id: string }[];
    };
    await graph.send({ method: 'GET', path: `${filter}&$select=keyCredentials`, body: null });
    const id = found.value[0]?.id ?? '';
    await graph.send({
      method: 'PATCH',
      path: `/servicePrincipals/${id}`,
      body: { keyCredentials: [{ type: 'AsymmetricX509Cert', usage: 'Verify', key }] },
    });
  }
}

const ROUND_TRIP_MS = 50;
const CMDLET_MS = 200;

/** `teams` applied over a slow link against the procedure by hand over the same link, on fresh orgs, in rounds. */
async function teamsOverSlowLink(dir: string, fresh: LabState, rounds = 3): Promise<BenchFigure> {
  const state = structuredClone(fresh);
  state.org.exchange.latencyMs = CMDLET_MS;
  const relay = await startRelay(dir);
  const link = await slowLink(relay.port, ROUND_TRIP_MS / 2);
  let agents = 0;
  /** A fresh org behind its own agent, reached over the slow link. */
  const slowOrg = async (name: string) => {
    const session = await openLabSession(labAt(dir, name, state), clock);
    await relay.startAgent(labExecutor(session.exchange), `ws://127.0.0.1:${link.port}/relay`);
    agents += 1;
    const ems = new RelayEmsRunner(relay.hub, { agentId: `ex${agents}` });
    return { session, ems, graph: slowGraph(session.graph, ROUND_TRIP_MS) };
  };
  const timed = async (work: () => Promise<void>) => {
    const started = performance.now();
    await work();
    return performance.now() - started;
  };
  const applied: number[] = [];
  const manual: number[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      const ours = await slowOrg(`slow-apply-${round}.json`);
      applied.push(
        await timed(() => applyOn(ours, 'teams', path.join(dir, `slow-${round}.db`), `slow-${round}`)),
      );
      await ours.session.close();
      const hand = await slowOrg(`slow-hand-${round}.json`);
      manual.push(await timed(() => byHand(hand.ems, hand.graph, state)));
      await hand.session.close();
    }
  } finally {
    await link.close();
    await relay.close();
  }
  return ratioFigure(
    `economy: apply of teams, ${ROUND_TRIP_MS} ms link, ${CMDLET_MS} ms cmdlets vs the procedure's commands one by one`,
    'ms',
    median(applied),
    median(manual),
    1.5,
  );
}

/** Every economy figure. */
export async function benchEconomy(): Promise<BenchFigure[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hybridops-bench-economy-'));
  try {
    const fresh = await createLabState({ now: clock.now(), domain: 'contoso.com' });
    return [...(await cmdletCounts(dir, fresh)), await teamsOverSlowLink(dir, fresh)];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  benchEconomy().then(
    (figures) => process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
