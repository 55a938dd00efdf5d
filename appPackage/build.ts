/** `npm run package`: validates the manifest and zips it with the icons into the Teams app package in appPackage/build/. */
import path from 'node:path';
import { buildAppPackage } from './app-package';

const dir = __dirname;
const botId = process.env.MICROSOFT_APP_ID ?? '00000000-0000-0000-0000-000000000000';
const out = process.env.HYBRIDOPS_PACKAGE_OUT ?? path.join(dir, 'build', 'hybridops.zip');

buildAppPackage(dir, botId, out).then(
  ({ file, errors }) => {
    if (errors.length > 0) {
      process.stderr.write(`The manifest is not valid:\n${errors.map((error) => `  ${error}`).join('\n')}\n`);
      process.exitCode = 1;
      return;
    }
    if (!process.env.MICROSOFT_APP_ID)
      process.stderr.write('MICROSOFT_APP_ID is not set: the package carries a placeholder bot id.\n');
    process.stdout.write(`Wrote ${file}\n`);
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
