#!/usr/bin/env node
// Runs the TypeScript CLI directly, so the command works right after `npm ci` with no build step.
require('tsx/cjs');
require('../src/cli.ts');
