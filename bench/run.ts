/**
 * Runs every benchmark and prints each figure beside its baseline from the same run.
 * `npm run bench -- --json` prints the figures as JSON instead, for scripts.
 * `VOUCH_BENCH=host,scan npm run bench` runs only the benchmarks named (the keys of the JSON).
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
const only = process.env.VOUCH_BENCH?.split(',').map((name) => name.trim());
const wanted = (name: string) => only === undefined || only.includes(name);
const blacklist = wanted('blacklist') ? runBlacklistBench() : undefined;
const registryLoad = wanted('registryLoad') ? runRegistryLoadBench() : undefined;
const registryValidate = wanted('registryValidate') ? await runRegistryValidateBench() : undefined;
const lifecycle = wanted('lifecycle') ? await runLifecycleBench() : undefined;
const integrity = wanted('integrity') ? await runIntegrityBench() : undefined;
const scan = wanted('scan') ? await runScanBench() : undefined;
const cliStartup = wanted('cliStartup') ? await runCliStartupBench() : undefined;
const logProofs = wanted('logProofs') ? await runLogProofsBench() : undefined;
const host = wanted('host') ? await runHostBench() : undefined;
const service = wanted('service') ? await runServiceBench() : undefined;
const propagation = wanted('propagation') ? await runPropagationBench() : undefined;
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
