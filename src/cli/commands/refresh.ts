/**
 * `vouch refresh`: contact the registry now, whatever the cache holds. Requests are
 * conditional, so an unchanged registry costs a 304, which still counts as a successful
 * contact and restarts the blacklist's freshness clock (D1, D23). There is no offline
 * fallback here: a refresh that reached no source has failed (exit 1), and the cached copy is
 * left as it was.
 */
import type { Command } from '@commander-js/extra-typings';
import { jsonOption, profileOption, registryOption } from '../common-options.ts';
import {
	type LoadedRegistry,
	loadRegistry,
	printRegistryWarnings,
	profileFor,
	registryJson,
	registryTrustLabel,
} from '../context.ts';
import { createOutput, type Output } from '../output.ts';
import type { CommandContext } from '../program.ts';
import { safe } from '../style.ts';

export function registerRefresh(program: Command, { io }: CommandContext): void {
	program
		.command('refresh')
		.description('fetch the registry and blacklist now (conditional requests; no cache fallback)')
		.addOption(profileOption())
		.addOption(registryOption())
		.addOption(jsonOption())
		.action(async (options) => {
			const output = createOutput(io, options.json === true);
			const profile = profileFor(options, io);
			const loaded = await loadRegistry(options, profile, io, output, 'refresh');
			printRegistryWarnings(loaded, output);
			if (output.json) {
				output.result({
					ok: true,
					registry: { ...registryJson(loaded), unchanged: loaded.notModified, local: loaded.local },
					plugins: loaded.registry.plugins.length,
					blacklist: loaded.registry.blacklist.length,
					failures: loaded.failures,
					warnings: loaded.warnings,
				});
				return;
			}
			printSummary(loaded, output);
		});
}

function printSummary(loaded: LoadedRegistry, output: Output): void {
	const { style } = output;
	const plugins = loaded.registry.plugins.length;
	const entries = loaded.registry.blacklist.length;
	const what = loaded.local
		? 'read (local file, not cached)'
		: loaded.notModified
			? 'unchanged (304 Not Modified)'
			: 'fetched';
	output.line(`${style.green('✓')} ${safe(loaded.source)}: ${what}`);
	output.line(
		`  ${plugins} plugin(s), ${entries} blacklist entr${entries === 1 ? 'y' : 'ies'}, ${registryTrustLabel(loaded)} registry`,
	);
	output.line(style.dim(`  last contact: ${loaded.fetchedAt.toISOString()}`));
}
