/** `npm run bench`: every benchmark, one table, bench/results.json. */

import path from 'node:path';
import { benchEngineOverhead } from './engine-overhead';
import { figuresOf } from './fork-ts';
import { type BenchFigure, report } from './harness';

async function main(): Promise<void> {
  const figures: BenchFigure[] = [];
  figures.push(...(await benchEngineOverhead()));
  figures.push(...(await (await import('./economy')).benchEconomy()));
  figures.push(...(await (await import('./watch')).benchWatch()));
  figures.push(...(await (await import('./relay')).benchRelay()));
  figures.push(...(await (await import('./replicas')).benchReplicas()));
  figures.push(...(await (await import('./powershell')).benchPowershell()));
  // The bot bench gets a process of its own, as `npx tsx bench/bot.ts` runs it: its two servers share one process, and
  // that should hold the bot, not what the benches before it left there (the relay's 5,000 agents, the watch's orgs).
  figures.push(...(await figuresOf<BenchFigure>(path.join(__dirname, 'bot.ts'))));
  report(figures);
  if (figures.some((figure) => !figure.ok)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
