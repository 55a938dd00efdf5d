#!/usr/bin/env node
/** Entry point of the hybridops command line. */
import { runCli } from './cli/main';

runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
  // The work is done; a database driver may still hold a socket (pg does after a refused login), so leave.
  setTimeout(() => process.exit(), 1_000).unref();
});
