/**
 * Engine overhead: applying `teams` through the engine (probes, diffs, the store's journal and audit log on a SQLite file) against
 * making exactly the same calls to the simulated org and the lab Graph endpoint directly, in the same run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EmsCommand } from '../src/core/ems';
import type { AuthCertificate } from '../src/core/entra';
import type { EmsRunner, GraphPort, GraphRequest } from '../src/core/ports';
import { applyRunbook } from '../src/engine/apply';
import { delegatingGraphPort } from '../src/graph/delegating-port';
import { createLabState } from '../src/lab/init';
import { createLabFile } from '../src/lab/lab-file';
import { type LabSession, openLabSession } from '../src/lab/lab-session';
import type { LabState } from '../src/lab/state';
import { getRunbook, validateInputs } from '../src/runbooks';
import { openStore } from '../src/store/open-store';
import { type BenchFigure, median, ratioFigure } from './harness';

type Call =
  | { kind: 'run'; command: EmsCommand }
  | { kind: 'reads'; commands: readonly EmsCommand[] }
  | { kind: 'readSps'; appIds: readonly string[] }
  | { kind: 'upload'; appId: string; certificate: AuthCertificate }
  | { kind: 'spns'; appId: string; names: readonly string[] }
  | { kind: 'send'; request: GraphRequest };

const clock = { now: () => new Date() };
const ROUNDS = 5;
const LATENCY_MS = 5;

function recording(session: LabSession, trace: Call[]): { ems: EmsRunner; graph: GraphPort } {
  const record = <T>(call: Call, work: () => Promise<T>): Promise<T> => {
    trace.push(call);
    return work();
  };
  return {
    ems: {
      run: (command) => record({ kind: 'run', command }, () => session.ems.run(command)),
      runReads: (commands) => record({ kind: 'reads', commands }, () => session.ems.runReads(commands)),
    },
    graph: {
      ...delegatingGraphPort(session.graph),
      readServicePrincipals: (appIds) =>
        record({ kind: 'readSps', appIds }, () => session.graph.readServicePrincipals(appIds)),
      uploadAuthCertificate: (appId, certificate) =>
        record({ kind: 'upload', appId, certificate }, () =>
          session.graph.uploadAuthCertificate(appId, certificate),
        ),
      setServicePrincipalNames: (appId, names) =>
        record({ kind: 'spns', appId, names }, () => session.graph.setServicePrincipalNames(appId, names)),
      send: (request) => record({ kind: 'send', request }, () => session.graph.send(request)),
    },
  };
}

async function replay(session: LabSession, trace: readonly Call[]): Promise<void> {
  for (const call of trace) {
    if (call.kind === 'run') await session.ems.run(call.command);
    else if (call.kind === 'reads') await session.ems.runReads(call.commands);
    else if (call.kind === 'readSps') await session.graph.readServicePrincipals(call.appIds);
    else if (call.kind === 'upload') await session.graph.uploadAuthCertificate(call.appId, call.certificate);
    else if (call.kind === 'send') await session.graph.send(call.request);
    else await session.graph.setServicePrincipalNames(call.appId, call.names);
  }
}

function writeOrg(dir: string, name: string, state: LabState): string {
  const file = path.join(dir, name);
  createLabFile(file, structuredClone(state), { overwrite: true });
  return file;
}

/** Median engine time per step against the direct calls' time per step, over several rounds. */
export async function benchEngineOverhead(): Promise<BenchFigure[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hybridops-bench-'));
  const runbook = getRunbook('teams');
  const inputs = validateInputs(runbook, { domain: 'contoso.com', dc: 'dc01.contoso.com' });
  const engineTimes: number[] = [];
  const directTimes: number[] = [];
  let steps = 0;
  try {
    const initial = await createLabState({ now: clock.now(), domain: 'contoso.com', latencyMs: LATENCY_MS });
    for (let round = 0; round < ROUNDS; round++) {
      const trace: Call[] = [];
      const engineSession = await openLabSession(writeOrg(dir, `engine-${round}.json`, initial), clock);
      const store = await openStore(path.join(dir, `engine-${round}.db`));
      const started = performance.now();
      const result = await applyRunbook(
        { runbook, inputs, target: `bench-${round}`, requestedBy: 'bench', approvedBy: null },
        { ...recording(engineSession, trace), clock, store: store.runs },
      );
      engineTimes.push(performance.now() - started);
      steps = result.steps.length;
      if (result.state !== 'succeeded') throw new Error(`bench apply failed: ${result.error}`);
      await store.close();
      await engineSession.close();

      const directSession = await openLabSession(writeOrg(dir, `direct-${round}.json`, initial), clock);
      const directStarted = performance.now();
      await replay(directSession, trace);
      directTimes.push(performance.now() - directStarted);
      await directSession.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const perStep = (times: number[]) => median(times) / steps;
  return [
    ratioFigure(
      `engine apply of teams per step (${steps} steps, cmdlets ${LATENCY_MS} ms) vs direct calls`,
      'ms',
      perStep(engineTimes),
      perStep(directTimes),
      1.05,
    ),
  ];
}
