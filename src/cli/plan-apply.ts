/**
 * `plan` and `apply`: a plan can be saved (`--out PLAN.json`) and applied later exactly as it is
 * (`apply --plan PLAN.json --yes`); `apply` without `--plan` plans and applies in one go, probing once.
 */
import fs from 'node:fs';
import { crashHookFromEnv } from '../config/crash-hook';
import { loadConfig } from '../config/load-config';
import { createLogger } from '../config/logger';
import { CodedError } from '../core/errors';
import type { Plan } from '../core/plan';
import {
  type ApplyDeps,
  type ApplyRequest,
  type ApplyResult,
  applyPlan,
  applyRunbook,
  resumeRun,
} from '../engine/apply';
import { planScript } from '../engine/operations/ps1';
import { planRunbook } from '../engine/planner';
import { getRunbook, validateInputs } from '../runbooks';
import { openStore } from '../store/open-store';
import type { CliOptions } from './args';
import { required } from './args';
import { formatApply, formatPlan, formatProgress } from './format';
import type { CliIo } from './io';
import type { OrgTarget } from './org-target';
import { PLAN_FILE_FORMAT, readPlanFile, writePlanFile } from './plan-file';

/** The runbook and validated inputs the options name; a lab's tenant and cloud, or `--org`'s entry, are the defaults. */
export function runbookAndInputs(
  options: CliOptions,
  defaults?: { domain?: string; dc?: string },
  org?: OrgTarget,
) {
  const entry = org?.entry;
  const runbook = getRunbook(required(options, 'runbook', entry?.runbook));
  // `--org`'s entry first: the command line may only repeat it, and its spelling is the bot's.
  const tenantId = entry?.tenantId ?? options['tenant-id'] ?? org?.lab?.tenant.tenantId;
  const cloud = options.cloud ?? org?.lab?.tenant.cloud;
  const inputs = validateInputs(runbook, {
    domain: entry?.domain ?? options.domain ?? defaults?.domain,
    dc: entry?.dc ?? options.dc ?? defaults?.dc,
    ...(tenantId ? { tenantId } : {}),
    ...(cloud ? { cloud } : {}),
    applicationAccount: !options['no-application-account'],
    acknowledged: Boolean(options['acknowledge-caution']),
  });
  return { runbook, inputs };
}

function planJson(plan: Plan): string {
  return JSON.stringify({
    runbook: plan.runbook,
    hash: plan.hash,
    plannedAt: plan.plannedAt,
    caution: plan.caution,
    notes: plan.notes,
    steps: plan.steps.map(
      ({ id, title, target, change, command, warnings, detail, operations, article }) => ({
        id,
        title,
        target,
        change,
        command,
        warnings,
        detail,
        operations,
        ...(article ? { article } : {}),
      }),
    ),
  });
}

/** `plan`: probes the org and prints the plan; `--out FILE` saves it for `apply --plan FILE`, `--ps1 FILE` as a script. */
export async function planCommand(options: CliOptions, org: OrgTarget, io: CliIo): Promise<number> {
  const { runbook, inputs } = runbookAndInputs(options, undefined, org);
  const { plan } = await planRunbook(runbook, inputs, { ems: org.ems, graph: org.graph, clock: io.clock });
  if (options.out) writePlanFile(options.out, { format: PLAN_FILE_FORMAT, target: org.target, inputs, plan });
  io.out(options.json ? planJson(plan) : formatPlan(plan));
  if (options.out && !options.json)
    io.out(`Saved to ${options.out}: apply it with apply --plan ${options.out} --yes.`);
  if (options.ps1) {
    // With a byte order mark, so Windows PowerShell 5.1 reads it as UTF-8.
    fs.writeFileSync(options.ps1, `\uFEFF${planScript(plan)}`);
    if (!options.json) io.out(`Wrote the plan as PowerShell to ${options.ps1}.`);
  }
  return 0;
}

function applyRequest(
  options: CliOptions,
  io: CliIo,
  base: Omit<ApplyRequest, 'onProgress' | 'requestedBy' | 'approvedBy'>,
  actor: string,
): ApplyRequest {
  return {
    ...base,
    requestedBy: actor,
    approvedBy: null,
    onProgress: (event) => {
      const line = options.json ? null : formatProgress(event);
      if (line) io.err(line);
    },
  };
}

/** Applies the saved plan file: resumes its unfinished run, or starts one if the org still matches it. */
async function applyPlanFile(
  file: string,
  org: OrgTarget,
  io: CliIo,
  options: CliOptions,
  actor: string,
  deps: ApplyDeps,
): Promise<ApplyResult> {
  const saved = readPlanFile(file);
  if (saved.target !== org.target) {
    throw new CodedError(
      'BAD_PLAN',
      `${file} was made for ${saved.target}, not ${org.target}. Nothing was run.`,
    );
  }
  const request = applyRequest(
    options,
    io,
    { runbook: saved.runbook, inputs: saved.inputs, target: org.target },
    actor,
  );
  const unfinished = await deps.store.findUnfinishedRun(
    saved.runbook.name,
    org.target,
    JSON.stringify(saved.inputs),
  );
  const outcome =
    unfinished?.planHash === saved.plan.hash && unfinished.approvedBy === null
      ? await resumeRun(unfinished.id, request, deps)
      : await applyPlan(saved.plan, request, deps);
  if (outcome.kind === 'ran') return outcome.result;
  throw new CodedError(
    'STALE_PLAN',
    `The org changed since ${file} was made, so its operations no longer match and nothing was run: plan again.`,
  );
}

/** `apply`: `--plan FILE` runs a saved plan exactly; without it, plans and applies in one go. */
export async function applyCommand(options: CliOptions, org: OrgTarget, io: CliIo): Promise<number> {
  if (options.plan && (options.runbook || options.domain || options.dc || options['tenant-id'])) {
    throw new CodedError(
      'USAGE',
      '--plan carries the runbook and its inputs: give --plan or --runbook, not both.',
    );
  }
  const oneGo = options.plan ? null : runbookAndInputs(options, undefined, org);
  if (!options.yes) throw new CodedError('USAGE', 'apply changes the org: review the plan, then add --yes.');
  const config = loadConfig(io.env);
  const logger = createLogger(config.logLevel);
  const store = await openStore(config.dbPath, { logger });
  try {
    const checkpoint = crashHookFromEnv(io.env);
    const deps: ApplyDeps = {
      ems: org.ems,
      graph: org.graph,
      clock: io.clock,
      store: store.runs,
      logger,
      ...(checkpoint ? { checkpoint } : {}),
    };
    const result = oneGo
      ? await applyRunbook(applyRequest(options, io, { ...oneGo, target: org.target }, config.actor), deps)
      : await applyPlanFile(options.plan as string, org, io, options, config.actor, deps);
    io.out(options.json ? JSON.stringify(result) : formatApply(result));
    return result.state === 'succeeded' ? 0 : 1;
  } finally {
    await store.close();
  }
}
