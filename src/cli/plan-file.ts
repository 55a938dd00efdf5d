/**
 * The saved plan file of `plan --out PLAN.json` and `apply --plan PLAN.json`: the plan, the inputs it was made
 * with and the org it was made for. A file that does not match the schema, whose operations do not hash to its
 * hash, or whose shown commands are not its operations, is refused (exit 2) before anything runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod/v4';
import { CodedError } from '../core/errors';
import { type Plan, planHash, planSchema } from '../core/plan';
import { renderOperation } from '../engine/operations/render';
import { getRunbook, type Runbook, type RunbookInputs, validateInputs } from '../runbooks';

export const PLAN_FILE_FORMAT = 'hybridops-plan/1';

export interface PlanFile {
  readonly format: typeof PLAN_FILE_FORMAT;
  /** The org the plan was made for: `lab:<file>` or `org:<domain>`. */
  readonly target: string;
  readonly inputs: RunbookInputs;
  readonly plan: Plan;
}

const fileSchema = z.strictObject({
  format: z.literal(PLAN_FILE_FORMAT),
  target: z.string().min(1),
  inputs: z.record(z.string(), z.unknown()),
  plan: planSchema,
});

function refuse(file: string, why: string): CodedError {
  return new CodedError('BAD_PLAN', `${file} is not a plan hybridops can run: ${why}. Nothing was run.`);
}

/** Writes the plan file next to its final name and renames it into place, so a reader never sees half of it. */
export function writePlanFile(file: string, content: PlanFile): void {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(temporary, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
    fs.renameSync(temporary, file);
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}

function parseJson(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new CodedError('BAD_PLAN', `Cannot read the plan file ${file}: ${(error as Error).message}.`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw refuse(file, 'it is not JSON');
  }
}

/** Every step's shown commands must be its operations: a reviewer reads those lines. */
function checkShownCommands(file: string, plan: Plan): void {
  for (const step of plan.steps) {
    const shown = step.operations.map((op) => renderOperation(op, { elide: true })).join('\n');
    if (shown !== step.command)
      throw refuse(file, `step ${step.id} shows commands that are not its operations`);
  }
}

/** Reads and checks a plan file; throws BAD_PLAN (exit 2) for a malformed or changed one. */
export function readPlanFile(file: string): PlanFile & { readonly runbook: Runbook } {
  const parsed = fileSchema.safeParse(parseJson(file));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'the file';
    throw refuse(file, `${where}: ${issue?.message ?? 'does not match the plan format'}`);
  }
  const { plan, target } = parsed.data;
  if (planHash(plan) !== plan.hash) throw refuse(file, 'its operations were changed after it was made');
  checkShownCommands(file, plan);
  let runbook: Runbook;
  let inputs: RunbookInputs;
  try {
    runbook = getRunbook(plan.runbook);
    inputs = validateInputs(runbook, parsed.data.inputs);
  } catch (error) {
    throw refuse(file, (error as Error).message.replace(/\.$/, ''));
  }
  return { format: PLAN_FILE_FORMAT, target, inputs, plan, runbook };
}
