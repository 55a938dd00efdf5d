#!/usr/bin/env node
// The package mirror these machines use lacks some other-platform builds (e.g. @biomejs/cli-darwin-x64 at
// the current version), so `npm install` leaves them out of package-lock.json while `npm ci` insists on
// them. This adds an entry, with the os/cpu/libc its name declares, for every optional dependency the lock
// names but does not contain; npm ci then skips them on this platform as it would anyway. Idempotent.
//
// As the package's postinstall it acts only when npm has just written the lock (`npm install`, `npm update`
// in a checkout); `npm ci` and a production install (`--omit=dev`, NODE_ENV=production) leave the lock as
// it is. Run by hand (`node .ci/complete-lock.js [LOCK]`) it always acts.
const fs = require('node:fs');
const path = require('node:path');

function lockIsBeingWritten(env) {
  if (env.npm_lifecycle_event !== 'postinstall') return true; // run by hand
  const omitted = (env.npm_config_omit ?? '').split(/[\s,]+/);
  if (omitted.includes('dev') || env.NODE_ENV === 'production') return false;
  return ['install', 'update', 'dedupe'].includes(env.npm_command ?? '');
}

if (!lockIsBeingWritten(process.env)) process.exit(0);
const file = process.argv[2] ?? path.join(__dirname, '..', 'package-lock.json');
if (!fs.existsSync(file)) process.exit(0);
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const packages = lock.packages ?? {};

const OS = ['android', 'darwin', 'linux', 'win32', 'freebsd', 'openbsd', 'netbsd', 'sunos', 'aix', 'openharmony'];
const CPU = ['arm64', 'x64', 'ia32', 'arm', 'loong64', 'ppc64', 's390x', 'riscv64', 'mips64el'];

function platformOf(name) {
  const tokens = name.split('/').pop().split('-');
  const os = tokens.find((t) => OS.includes(t));
  const cpu = tokens.find((t) => CPU.includes(t)) ?? (tokens.includes('eabi') ? 'arm' : undefined);
  const libc = tokens.some((t) => t.startsWith('musl')) ? 'musl' : tokens.some((t) => t.startsWith('gnu')) ? 'glibc' : undefined;
  return { os, cpu, libc };
}

let added = 0;
for (const [location, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = `${location ? `${location}/` : ''}node_modules/${name}`;
    if (packages[nested] || packages[`node_modules/${name}`]) continue;
    const { os, cpu, libc } = platformOf(name);
    if (!os && !cpu) continue; // not a platform build: leave npm's resolution alone
    packages[`node_modules/${name}`] = {
      version: String(version).replace(/^[\^~=]/, ''),
      ...(os ? { os: [os] } : {}),
      ...(cpu ? { cpu: [cpu] } : {}),
      ...(libc ? { libc: [libc] } : {}),
      optional: true,
      ...(entry.dev ? { dev: true } : {}),
    };
    added++;
  }
}
if (added > 0) {
  lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
  fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
  process.stdout.write(`complete-lock: added ${added} other-platform optional entries to package-lock.json\n`);
}
