/** The benchmark harness: each figure is measured against a baseline in the same run, as a ratio. */
import fs from 'node:fs';
import path from 'node:path';

export interface BenchFigure {
  readonly name: string;
  readonly unit: string;
  readonly value: number;
  readonly baseline: number | null;
  readonly ratio: number | null;
  /** The goal, in the figure's own terms (a ratio when there is a baseline). */
  readonly goal: number;
  readonly ok: boolean;
}

/** Builds a figure that compares a value with its baseline; ok when value/baseline ≤ goal. */
export function ratioFigure(
  name: string,
  unit: string,
  value: number,
  baseline: number,
  goal: number,
): BenchFigure {
  const ratio = value / baseline;
  return {
    name,
    unit,
    value: round(value),
    baseline: round(baseline),
    ratio: round(ratio),
    goal,
    ok: ratio <= goal,
  };
}

/** Builds a figure with an absolute goal (value ≤ goal). */
export function limitFigure(name: string, unit: string, value: number, goal: number): BenchFigure {
  return { name, unit, value: round(value), baseline: null, ratio: null, goal, ok: value <= goal };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** Prints the figures as a table and writes bench/results.json. */
export function report(figures: readonly BenchFigure[], file = path.join(__dirname, 'results.json')): void {
  const rows = figures.map((f) => [
    f.name,
    `${f.value} ${f.unit}`,
    f.baseline === null ? '—' : `${f.baseline} ${f.unit}`,
    f.ratio === null ? '—' : `${f.ratio}×`,
    f.ratio === null ? `≤ ${f.goal} ${f.unit}` : `≤ ${f.goal}×`,
    f.ok ? 'ok' : 'MISSED',
  ]);
  const header = ['figure', 'value', 'baseline', 'ratio', 'goal', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ');
  process.stdout.write(`${[line(header), ...rows.map(line)].join('\n')}\n`);
  fs.writeFileSync(file, `${JSON.stringify(figures, null, 2)}\n`);
  process.stdout.write(`Wrote ${file}\n`);
}
