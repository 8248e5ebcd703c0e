/**
 * Runs every benchmark and prints each figure beside its baseline from the same run.
 * `npm run bench -- --json` prints the figures as JSON instead, for scripts.
 */
import { runBlacklistBench } from './blacklist.ts';
import { runCliStartupBench } from './cli-startup.ts';
import { runHostBench } from './host.ts';
import { runIntegrityBench } from './integrity.ts';
import { runLifecycleBench } from './lifecycle.ts';
import { runLogProofsBench } from './log-proofs.ts';
import { runPropagationBench } from './propagation/run-propagation-bench.ts';
import { runRegistryLoadBench } from './registry-load.ts';
import { runRegistryValidateBench } from './registry-validate.ts';
import { runScanBench } from './scan.ts';
import { runServiceBench } from './service/run-service-bench.ts';

const json = process.argv.includes('--json');
const log = console.log;
if (json) console.log = () => {};
console.log(`Node ${process.version}, ${process.platform}/${process.arch}`);
const blacklist = runBlacklistBench();
const registryLoad = runRegistryLoadBench();
const registryValidate = await runRegistryValidateBench();
const lifecycle = await runLifecycleBench();
const integrity = await runIntegrityBench();
const scan = await runScanBench();
const cliStartup = await runCliStartupBench();
const logProofs = await runLogProofsBench();
const host = await runHostBench();
const service = await runServiceBench();
const propagation = await runPropagationBench();
console.log = log;
if (json)
	console.log(
		JSON.stringify(
			{
				node: process.version,
				blacklist,
				registryLoad,
				registryValidate,
				lifecycle,
				integrity,
				scan,
				cliStartup,
				logProofs,
				host,
				service,
				propagation,
			},
			null,
			2,
		),
	);
