#!/usr/bin/env node
/** The `vouch-server` executable. */
import { processIO } from './cli/io.ts';
import { runServerCli } from './cli/run.ts';

// The publisher and the web pages plug in here through `serviceOptions` when they are built.
const code = await runServerCli(process.argv.slice(2), {
	io: processIO(),
	clock: () => new Date(),
	forkWorkers: true,
});
process.exitCode = code;
