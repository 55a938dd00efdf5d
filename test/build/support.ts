/**
 * Builds for the tests: `npm run build`'s script into a temporary folder, and a production install beside it
 * (package.json, bin/, dist/, and exactly the packages `npm ci --omit=dev` installs: the lock's entries not
 * marked dev), made from this checkout's node_modules by hard links, so no registry is needed.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');

/** Runs scripts/build.js with `--out dir`; resolves with what it printed. */
export function build(out: string, options: { agentOnly?: boolean } = {}): Promise<string> {
  const args = [
    path.join(ROOT, 'scripts', 'build.js'),
    '--out',
    out,
    ...(options.agentOnly ? ['--agent-only'] : []),
  ];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: ROOT, timeout: 240_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`build failed: ${stderr || error.message}`)) : resolve(stdout),
    );
  });
}

interface LockEntry {
  readonly dev?: boolean;
  readonly link?: boolean;
}

/** The lock's packages a production install has (`node_modules/…` paths), those present on this platform. */
export function productionPackages(): string[] {
  const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockEntry>;
  };
  return Object.entries(lock.packages)
    .filter(([location, entry]) => location !== '' && !entry.dev && !entry.link)
    .map(([location]) => location)
    .filter((location) => fs.existsSync(path.join(ROOT, location)));
}

/** Hard-links a package's files into `to`, except its own node_modules (nested packages come separately). */
function linkPackage(from: string, to: string, top = true): void {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    if (top && entry.name === 'node_modules') continue;
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) linkPackage(source, target, false);
    else if (entry.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(source), target);
    else fs.linkSync(source, target);
  }
}

export interface ProductionInstall {
  readonly dir: string;
  readonly packages: string[];
  cleanup(): void;
}

/** A production install of this checkout, built, in a temporary folder outside the repository. */
export async function productionInstall(): Promise<ProductionInstall> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hybridops-production-'));
  await build(path.join(dir, 'dist'));
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
  fs.cpSync(path.join(ROOT, 'bin'), path.join(dir, 'bin'), { recursive: true });
  const packages = productionPackages();
  for (const location of packages) linkPackage(path.join(ROOT, location), path.join(dir, location));
  return { dir, packages, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
