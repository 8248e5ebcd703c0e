/**
 * Compiled blacklist matcher against the naive linear matcher, on synthetic data: 1,000
 * installed plugins against 10,000 entries, and 100 against 1,000.
 *
 * The naive baseline gets every pattern compiled in advance, so the ratio shows what the index
 * and the literal prefilter buy, not the cost of recompiling (which is what makes the reference
 * implementation take about 82 s for the large case).
 */
import assert from 'node:assert/strict';
import { compileBlacklist } from '../packages/library/src/blacklist/compile.ts';
import { naiveCheck } from '../packages/library/src/blacklist/naive.ts';
import { createPatternCache } from '../packages/library/src/blacklist/pattern-cache.ts';
import type { BlacklistVerdict } from '../packages/library/src/blacklist/types.ts';
import { type Figure, medianMs, printFigures, timed } from './measure.ts';
import { blacklistScenario } from './synthetic.ts';

export interface BlacklistBenchResult {
	plugins: number;
	entries: number;
	blocked: number;
	figures: Figure[];
}

export function benchBlacklist(pluginCount: number, entryCount: number): BlacklistBenchResult {
	const { entries, plugins } = blacklistScenario(entryCount, pluginCount);
	const patterns = createPatternCache();

	const build = medianMs(5, () => compileBlacklist(entries, { patterns }));
	const compiled = compileBlacklist(entries, { patterns });
	// The first pass compiles, lazily, only the patterns the prefilter lets through.
	const cold = timed(() => plugins.map((plugin) => compiled.check(plugin)));
	const warm = medianMs(21, () => {
		for (const plugin of plugins) compiled.check(plugin);
	});

	// The baseline's patterns, all compiled up front, timed apart.
	const compileAll = timed(() => {
		for (const entry of entries) if (entry.urlRegex !== undefined) patterns.get(entry.urlRegex);
	});
	const naive = timed(() => plugins.map((plugin) => naiveCheck(entries, plugin, { patterns })));

	// A benchmark of two matchers that disagree would measure nothing.
	assert.deepEqual(cold.value, naive.value, 'compiled and naive verdicts differ');
	const blocked = cold.value.filter((verdict: BlacklistVerdict) => verdict.blocked).length;
	const label = `${pluginCount} x ${entryCount}`;
	const large = pluginCount >= 1000 && entryCount >= 10_000;
	return {
		plugins: pluginCount,
		entries: entryCount,
		blocked,
		figures: [
			{
				name: `check ${label}, index built`,
				ms: warm,
				baselineName: 'naive',
				baselineMs: naive.ms,
				...(large ? { targetMs: 10 } : {}),
			},
			{
				name: `first check ${label} (compiles patterns)`,
				ms: cold.ms,
				baselineName: 'naive + compile all',
				baselineMs: naive.ms + compileAll.ms,
			},
			{
				name: `index build, ${entryCount} entries`,
				ms: build,
				baselineName: 'naive check',
				baselineMs: naive.ms,
				...(large ? { targetMs: 100 } : {}),
			},
		],
	};
}

export function runBlacklistBench(): BlacklistBenchResult[] {
	const results = [benchBlacklist(1000, 10_000), benchBlacklist(100, 1000)];
	for (const result of results) {
		printFigures(
			`Blacklist: ${result.plugins} plugins x ${result.entries} entries (${result.blocked} blocked)`,
			result.figures,
		);
	}
	return results;
}
