#!/usr/bin/env node
/** Entry point of the hybridops command line. */
import { runCli } from './cli/main';

runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
