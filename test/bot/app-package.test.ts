import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unzipSync, unzlibSync } from 'fflate';
import { commandListsFromTable, manifestFor } from '../../appPackage/app-package';
import { COMMANDS } from '../../src/bot/commands/table';

const ROOT = path.join(__dirname, '..', '..');
const APP_PACKAGE = path.join(ROOT, 'appPackage');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const BOT_ID = '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b';

/** The archive's entries in order, as a reader such as Teams' upload sees them. */
function unzip(archive: Buffer): { name: string; data: Buffer }[] {
  return Object.entries(unzipSync(archive)).map(([name, data]) => ({ name, data: Buffer.from(data) }));
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  if (png.subarray(1, 4).toString('ascii') !== 'PNG') throw new Error('Not a PNG file.');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** The colour type (6 is RGBA) and the top-left pixel, which every PNG row filter leaves as stored. */
function pngCorner(png: Buffer): { colourType: number; rgba: number[] } {
  const data: Buffer[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    if (png.toString('ascii', at + 4, at + 8) === 'IDAT') data.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const rows = unzlibSync(Buffer.concat(data));
  return { colourType: png[25] ?? -1, rgba: [...rows.subarray(1, 5)] };
}

// The validator loads an ES module that Jest's runtime cannot, so validation runs as the real script does, under tsx.
function underTsx(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(TSX, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, out: `${result.stdout}${result.stderr}` };
}

describe('the Teams app package', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hybridops-package-'));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('npm run package validates the manifest offline and zips it with icons of 192×192 and 32×32', () => {
    const out = path.join(dir, 'app.zip');
    const run = underTsx(['appPackage/build.ts'], { MICROSOFT_APP_ID: BOT_ID, HYBRIDOPS_PACKAGE_OUT: out });
    expect(run.out).toContain('Wrote');
    expect(run.status).toBe(0);
    const entries = unzip(fs.readFileSync(out));
    expect(entries.map((entry) => entry.name)).toEqual(['manifest.json', 'color.png', 'outline.png']);
    const file = (name: string) => entries.find((entry) => entry.name === name)?.data ?? Buffer.alloc(0);
    expect(pngSize(file('color.png'))).toEqual({ width: 192, height: 192 });
    expect(pngSize(file('outline.png'))).toEqual({ width: 32, height: 32 });
    expect(JSON.parse(file('manifest.json').toString()).bots[0].botId).toBe(BOT_ID);
  });

  it('ships a full-bleed colour icon and an outline icon on a transparent background', () => {
    const icon = (name: string) => pngCorner(fs.readFileSync(path.join(APP_PACKAGE, name)));
    expect(icon('color.png')).toMatchObject({ colourType: 6, rgba: [43, 87, 154, 255] });
    expect(icon('outline.png')).toMatchObject({ colourType: 6, rgba: [0, 0, 0, 0] });
  });

  it('reports schema errors for a broken manifest', () => {
    const script = [
      "const { manifestFor, validateManifest } = require('./appPackage/app-package');",
      `const manifest = manifestFor('appPackage', '${BOT_ID}');`,
      "manifest.bots[0].scopes = ['everywhere'];",
      'validateManifest(manifest).then((errors) => console.log(JSON.stringify(errors)));',
    ].join('\n');
    const run = underTsx(['--eval', script]);
    expect(run.out).toMatch(/scopes/);
  });

  it('declares the bot in team and personal scopes with the command lists of the command table', () => {
    const manifest = manifestFor(APP_PACKAGE, BOT_ID);
    const [bot] = manifest.bots as { botId: string; scopes: string[]; commandLists: unknown }[];
    expect(bot?.botId).toBe(BOT_ID);
    expect(bot?.scopes).toEqual(['team', 'personal']);
    expect(bot?.commandLists).toEqual(commandListsFromTable());
  });

  it('lists every command in each scope where it works, on the current schema', () => {
    const manifest = manifestFor(APP_PACKAGE, BOT_ID);
    expect(manifest.manifestVersion).toBe('1.30');
    const [team, personal] = commandListsFromTable();
    expect(team?.commands.map((command) => command.title)).toEqual(COMMANDS.map((spec) => spec.name));
    expect(personal?.commands.map((command) => command.title)).toEqual(
      COMMANDS.filter((spec) => spec.places.includes('personal')).map((spec) => spec.name),
    );
  });

  it('refuses a bot id that is not a GUID', () => {
    expect(() => manifestFor(APP_PACKAGE, 'hybridops-bot')).toThrow('must be the bot registration');
  });
});
