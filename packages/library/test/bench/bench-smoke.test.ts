/**
 * The benchmarks run outside the suite, so nothing else would notice if they broke. These run
 * them at toy sizes: the figures are ignored (no timing limits in tests), the checks are not.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { benchBlacklist } from '../../../../bench/blacklist.ts';
import { benchRegistryLoad } from '../../../../bench/registry-load.ts';
import { blacklistScenario, syntheticRegistryToml } from '../../../../bench/synthetic.ts';
import { compileBlacklist } from '../../src/blacklist/compile.ts';
import { isValidPluginUuid } from '../../src/core/uuid.ts';
import { parseRegistryText } from '../../src/registry/parse.ts';

describe('benchmark data and runners', () => {
	it('makes a blacklist with a quarter of each kind and plugins that really collide', () => {
		const { entries, plugins, planted } = blacklistScenario(400, 500);
		const kinds = { uuid: 0, url: 0, urlRegex: 0, pair: 0 };
		for (const entry of entries) {
			if (entry.uuid !== undefined && entry.url !== undefined) kinds.pair++;
			else if (entry.uuid !== undefined) kinds.uuid++;
			else if (entry.url !== undefined) kinds.url++;
			else if (entry.urlRegex !== undefined) kinds.urlRegex++;
		}
		assert.deepEqual(kinds, { uuid: 100, url: 100, urlRegex: 100, pair: 100 });
		const compiled = compileBlacklist(entries);
		const blocked = plugins.filter((plugin) => compiled.check(plugin).blocked).length;
		assert.ok(planted > 0);
		assert.equal(blocked, planted, 'every planted plugin, and only those, is blocked');
		assert.ok(plugins.every((plugin) => isValidPluginUuid(plugin.uuid as string)));
	});

	it('runs the blacklist benchmark, whose matchers must agree', () => {
		const result = benchBlacklist(20, 200);
		assert.equal(result.figures.length, 3);
		assert.ok(result.figures.every((figure) => figure.ms >= 0 && figure.baselineMs > 0));
	});

	it('makes a registry that loads whole, and runs the load benchmark', () => {
		const registry = parseRegistryText(syntheticRegistryToml(50), { label: 'synthetic' });
		assert.equal(registry.plugins.length, 50);
		assert.deepEqual(registry.warnings, []);
		const result = benchRegistryLoad(30);
		assert.equal(result.plugins, 30);
		assert.equal(result.figures.length, 2);
	});
});
