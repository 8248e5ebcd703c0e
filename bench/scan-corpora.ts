/**
 * The scanner's two measurement corpora, shared by the benchmark and the tests:
 * - `test/fixtures/scan/adversarial/`: malicious plugins written to evade pattern rules. Each
 *   sample has a one-line `WHY` naming its evasion class (`CLASS: <id>`) and, when its manifest
 *   is broken on purpose, `MANIFEST: invalid`. Recall counts samples with a high finding.
 * - `test/fixtures/scan/real-picard/`: honest third-party Picard plugins, kept as test data
 *   (each with a `SOURCE` file). Any high finding other than an undeclared capability there is
 *   a false positive.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding, ScanEngine, ScanReport } from '../packages/library/src/scan/index.ts';
import { scanPlugin } from '../packages/library/src/scan/index.ts';

export const ADVERSARIAL_DIR = new URL(
	'../packages/library/test/fixtures/scan/adversarial/',
	import.meta.url,
).pathname;
export const REAL_PICARD_DIR = new URL(
	'../packages/library/test/fixtures/scan/real-picard/',
	import.meta.url,
).pathname;

/** The issue's recall target on the adversarial corpus. */
export const RECALL_TARGET = 0.95;

export interface AdversarialSample {
	name: string;
	dir: string;
	/** The evasion class from `WHY`, or undefined when `WHY` lacks one (a corpus defect). */
	klass: string | undefined;
	why: string;
	/** What the manifest is meant to be: `invalid` only when `WHY` says so. */
	manifest: 'valid' | 'invalid';
}

function sampleNames(dir: string): string[] {
	if (!existsSync(dir)) return [];
	return readdirSync(dir, { withFileTypes: true })
		.filter((entry) => entry.isDirectory())
		.map((entry) => entry.name)
		.sort();
}

export function adversarialSamples(dir = ADVERSARIAL_DIR): AdversarialSample[] {
	return sampleNames(dir).map((name) => {
		const sampleDir = join(dir, name);
		const whyPath = join(sampleDir, 'WHY');
		const why = existsSync(whyPath) ? readFileSync(whyPath, 'utf8') : '';
		return {
			name,
			dir: sampleDir,
			klass: /\bCLASS: ([a-z0-9-]+)/.exec(why)?.[1],
			why,
			manifest: /\bMANIFEST: invalid\b/.test(why) ? 'invalid' : 'valid',
		};
	});
}

export function realPluginNames(dir = REAL_PICARD_DIR): string[] {
	return sampleNames(dir);
}

/**
 * Findings about undeclared or denied capabilities: high for community plugins by policy, and
 * expected on honest plugins that do not declare what they use.
 */
export function isCapabilityFinding(finding: Finding): boolean {
	return finding.category === 'capabilities';
}

/** High findings that an honest plugin should never get. */
export function falsePositiveHighs(report: ScanReport): Finding[] {
	return report.findings.filter(
		(finding) => finding.severity === 'high' && !isCapabilityFinding(finding),
	);
}

export interface ClassRecall {
	klass: string;
	samples: number;
	withHigh: number;
	missed: string[];
}

export interface AdversarialRecall {
	samples: number;
	withHigh: number;
	ratio: number;
	target: number;
	missed: string[];
	byClass: ClassRecall[];
	/** Python samples where bandit reports a HIGH (or at least MEDIUM) issue. */
	bandit?: { samples: number; withHigh: number; withMediumOrHigh: number };
}

/** `banditSeverities` runs bandit on one directory and returns the severities it reported. */
export async function measureAdversarialRecall(
	engine: ScanEngine,
	banditSeverities?: (dir: string) => Set<string>,
	dir = ADVERSARIAL_DIR,
): Promise<AdversarialRecall> {
	const samples = adversarialSamples(dir);
	const classes = new Map<string, ClassRecall>();
	const missed: string[] = [];
	let withHigh = 0;
	let pythonSamples = 0;
	let banditHigh = 0;
	let banditMedium = 0;
	for (const sample of samples) {
		const report = await scanPlugin(sample.dir, { engine });
		const klass = sample.klass ?? 'unclassified';
		const entry = classes.get(klass) ?? { klass, samples: 0, withHigh: 0, missed: [] };
		classes.set(klass, entry);
		entry.samples++;
		if (report.summary.high > 0) {
			withHigh++;
			entry.withHigh++;
		} else {
			missed.push(sample.name);
			entry.missed.push(sample.name);
		}
		if (banditSeverities !== undefined && sample.name.startsWith('py-')) {
			pythonSamples++;
			const severities = banditSeverities(sample.dir);
			if (severities.has('HIGH')) banditHigh++;
			if (severities.has('HIGH') || severities.has('MEDIUM')) banditMedium++;
		}
	}
	return {
		samples: samples.length,
		withHigh,
		ratio: samples.length === 0 ? 0 : withHigh / samples.length,
		target: RECALL_TARGET,
		missed,
		byClass: [...classes.values()].sort((a, b) => a.klass.localeCompare(b.klass)),
		...(banditSeverities !== undefined
			? { bandit: { samples: pythonSamples, withHigh: banditHigh, withMediumOrHigh: banditMedium } }
			: {}),
	};
}

export interface RealPluginResult {
	plugin: string;
	lines: number;
	/** High findings other than undeclared or denied capabilities (target 0), by rule. */
	falseHighs: string[];
	capabilityHighs: number;
	banditHigh?: number;
}

export async function measureRealPlugins(
	engine: ScanEngine,
	banditHighCount?: (dir: string) => number,
	dir = REAL_PICARD_DIR,
): Promise<RealPluginResult[]> {
	const results: RealPluginResult[] = [];
	for (const plugin of realPluginNames(dir)) {
		const pluginDir = join(dir, plugin);
		const report = await scanPlugin(pluginDir, { engine });
		const highs = report.findings.filter((finding) => finding.severity === 'high');
		const falseHighs = falsePositiveHighs(report).map(
			(finding) => `${finding.ruleId} ${finding.file ?? ''}:${finding.line ?? ''}`,
		);
		results.push({
			plugin,
			lines: report.files.lines,
			falseHighs,
			capabilityHighs: highs.length - falseHighs.length,
			...(banditHighCount !== undefined ? { banditHigh: banditHighCount(pluginDir) } : {}),
		});
	}
	return results;
}

const percent = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;

export function printAdversarialRecall(recall: AdversarialRecall): void {
	console.log('\nDetection: adversarial corpus (test/fixtures/scan/adversarial)');
	const met = recall.ratio >= recall.target;
	console.log(
		`  Vouch  ${recall.withHigh}/${recall.samples} samples with a high finding: ${percent(recall.ratio)}; target >= ${percent(recall.target)}: ${met ? 'met' : 'MISSED'}`,
	);
	if (recall.bandit !== undefined) {
		const { bandit } = recall;
		console.log(
			`  bandit, on the ${bandit.samples} Python samples: ${bandit.withHigh}/${bandit.samples} (${percent(bandit.samples === 0 ? 0 : bandit.withHigh / bandit.samples)}) with a HIGH issue, ${bandit.withMediumOrHigh}/${bandit.samples} with MEDIUM or HIGH`,
		);
	}
	console.log('  by class (samples with a high finding / samples):');
	for (const entry of recall.byClass) {
		const missed = entry.missed.length > 0 ? `; missed: ${entry.missed.join(', ')}` : '';
		console.log(`    ${entry.klass.padEnd(22)} ${entry.withHigh}/${entry.samples}${missed}`);
	}
}

export function printRealPlugins(results: readonly RealPluginResult[]): void {
	console.log('\nFalse positives: real Picard plugins (test/fixtures/scan/real-picard)');
	const falseTotal = results.reduce((sum, result) => sum + result.falseHighs.length, 0);
	console.log(
		`  high findings other than undeclared capabilities: ${falseTotal} in ${results.length} plugins; target 0: ${falseTotal === 0 ? 'met' : 'MISSED'}`,
	);
	console.log(
		'  plugin                          lines  Vouch high (other / capability)  bandit HIGH',
	);
	for (const result of results) {
		const bandit = result.banditHigh === undefined ? 'n/a' : String(result.banditHigh);
		console.log(
			`  ${result.plugin.padEnd(30)} ${String(result.lines).padStart(6)}  ${`${result.falseHighs.length} / ${result.capabilityHighs}`.padStart(31)}  ${bandit.padStart(11)}`,
		);
		for (const high of result.falseHighs) console.log(`      ${high}`);
	}
}
