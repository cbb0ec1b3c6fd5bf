#!/usr/bin/env node
import { runCli } from './run-cli';

// The `ghibli` bin (docs/client.md, "The command line"): the only place the command line meets its process.
void runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }).then((code) => {
  process.exitCode = code;
});
