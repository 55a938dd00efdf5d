/** The Teams app package: manifest (bot id filled in), the committed icons, validation against the bundled schema, and the zip. */
import fs from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import { COMMANDS } from '../src/bot/commands/table';

/** The token in appPackage/manifest.json that becomes the bot's Microsoft App ID. */
export const BOT_ID_TOKEN = '{{MICROSOFT_APP_ID}}';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Manifest = Record<string, unknown>;

/** The manifest's command lists, from the command table: every command in each scope where it works. */
export function commandListsFromTable(): {
  scopes: string[];
  commands: { title: string; description: string }[];
}[] {
  const entry = (spec: (typeof COMMANDS)[number]) => ({
    title: spec.name,
    description: spec.summary.slice(0, 128),
  });
  const where = (place: (typeof COMMANDS)[number]['places'][number]) =>
    COMMANDS.filter((spec) => spec.places.includes(place)).map(entry);
  return [
    { scopes: ['team'], commands: where('adminChannel') },
    { scopes: ['personal'], commands: where('personal') },
  ];
}

/** Reads the manifest template and fills in the bot id. */
export function manifestFor(dir: string, botId: string): Manifest {
  if (!GUID.test(botId))
    throw new Error(`The bot id must be the bot registration's Microsoft App ID (a GUID), not "${botId}".`);
  const text = fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8');
  return JSON.parse(text.split(BOT_ID_TOKEN).join(botId.toLowerCase())) as Manifest;
}

/** Schema errors (empty when valid), from the schema bundled with @microsoft/app-manifest: no network. */
export async function validateManifest(manifest: Manifest): Promise<string[]> {
  // Loaded on use: the validator pulls in an ES module that Node 20 loads under tsx but not under Jest's runtime.
  const { AppManifestUtils } = await import('@microsoft/app-manifest');
  return AppManifestUtils.validateAgainstSchema(manifest as never);
}

// A fixed timestamp on every entry, so the same inputs make the same package.
const ENTRY_TIME = new Date('2020-01-01T00:00:00Z');

/** Validates the manifest and zips manifest.json, color.png and outline.png (the icons in `dir`) into `out`. */
export async function buildAppPackage(
  dir: string,
  botId: string,
  out: string,
): Promise<{ file: string; errors: string[] }> {
  const manifest = manifestFor(dir, botId);
  const errors = await validateManifest(manifest);
  if (errors.length > 0) return { file: out, errors };
  const entry = (data: Uint8Array): [Uint8Array, { mtime: Date }] => [data, { mtime: ENTRY_TIME }];
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(
    out,
    zipSync({
      'manifest.json': entry(Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`)),
      'color.png': entry(fs.readFileSync(path.join(dir, 'color.png'))),
      'outline.png': entry(fs.readFileSync(path.join(dir, 'outline.png'))),
    }),
  );
  return { file: out, errors };
}
