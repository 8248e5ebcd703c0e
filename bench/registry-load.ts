/**
 * Loading a 10,000-plugin synthetic registry: decode, validate, convert and index, in the TOML
 * and the JSON form. The baseline is the bare decoder on the same text, so the ratio is the
 * price of validation and indexing.
 */
import { parse as parseToml } from 'smol-toml';
import { buildRegistryIndex } from '../packages/library/src/registry/index.ts';
import { parseRegistryText } from '../packages/library/src/registry/parse.ts';
import { type Figure, medianMs, printFigures, settledHeapBytes } from './measure.ts';
import { syntheticRegistryToml } from './synthetic.ts';

export interface RegistryLoadResult {
	plugins: number;
	tomlBytes: number;
	jsonBytes: number;
	/** Heap held by the loaded registry and its index; undefined without --expose-gc. */
	retainedBytes: number | undefined;
	figures: Figure[];
}

export function benchRegistryLoad(count: number): RegistryLoadResult {
	const toml = syntheticRegistryToml(count);
	const json = JSON.stringify(parseToml(toml));
	const load = (text: string, format: 'toml' | 'json') => {
		const registry = parseRegistryText(text, { label: 'synthetic', format });
		if (registry.plugins.length !== count) {
			throw new Error(`loaded ${registry.plugins.length} of ${count} plugins`);
		}
		return { registry, index: buildRegistryIndex(registry) };
	};

	const tomlLoad = medianMs(5, () => load(toml, 'toml'));
	const tomlDecode = medianMs(5, () => parseToml(toml));
	const jsonLoad = medianMs(5, () => load(json, 'json'));
	const jsonDecode = medianMs(5, () => JSON.parse(json));

	const before = settledHeapBytes();
	const kept = load(toml, 'toml');
	const after = settledHeapBytes();
	const retainedBytes =
		before === undefined || after === undefined ? undefined : Math.max(0, after - before);
	// Keep the registry alive until after the measurement.
	if (kept.index.byId(`synthetic-plugin-${count - 1}`) === undefined) {
		throw new Error('the index lost a plugin');
	}

	return {
		plugins: count,
		tomlBytes: Buffer.byteLength(toml),
		jsonBytes: Buffer.byteLength(json),
		retainedBytes,
		figures: [
			{
				name: `load ${count} plugins, TOML`,
				ms: tomlLoad,
				baselineName: 'smol-toml parse alone',
				baselineMs: tomlDecode,
				targetMs: 300,
			},
			{
				name: `load ${count} plugins, JSON`,
				ms: jsonLoad,
				baselineName: 'JSON.parse alone',
				baselineMs: jsonDecode,
				targetMs: 300,
			},
		],
	};
}

export function runRegistryLoadBench(): RegistryLoadResult {
	const result = benchRegistryLoad(10_000);
	printFigures(
		`Registry load: ${result.plugins} plugins (TOML ${mib(result.tomlBytes)}, JSON ${mib(result.jsonBytes)})`,
		result.figures,
	);
	console.log(
		result.retainedBytes === undefined
			? '  memory: run with --expose-gc to measure'
			: `  memory held by registry + index: ${mib(result.retainedBytes)} (source text: ${mib(result.tomlBytes)})`,
	);
	return result;
}

function mib(bytes: number): string {
	return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
