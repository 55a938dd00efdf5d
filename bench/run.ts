/** `npm run bench`: every benchmark, one table, bench/results.json. */

import { benchEngineOverhead } from './engine-overhead';
import { type BenchFigure, report } from './harness';

async function main(): Promise<void> {
  const figures: BenchFigure[] = [];
  figures.push(...(await benchEngineOverhead()));
  figures.push(...(await (await import('./economy')).benchEconomy()));
  figures.push(...(await (await import('./watch')).benchWatch()));
  figures.push(...(await (await import('./relay')).benchRelay()));
  figures.push(...(await (await import('./replicas')).benchReplicas()));
  figures.push(...(await (await import('./powershell')).benchPowershell()));
  figures.push(...(await (await import('./bot')).benchBot()));
  report(figures);
  if (figures.some((figure) => !figure.ok)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
