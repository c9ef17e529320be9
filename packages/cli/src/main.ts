#!/usr/bin/env node
// The `ffgate` command. All logic lives in cli.ts so tests can call it in-process as well.
import { runCli } from './cli.ts';

process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
