/**
 * Redirect integrity (D9, spec §11 item 51). The client follows one hop and trusts the
 * registry to be consistent, so the registry tool must reject anything that would make a
 * lookup ambiguous or need a second hop:
 * - a plugin redirecting from its own current URL or UUID;
 * - an old URL or UUID claimed by two plugins;
 * - a redirect equal to another plugin's current URL or UUID (that plugin would be hijacked
 *   for anyone whose lookup fell through to redirects, and it forms a chain);
 * - cycles of such redirects (A from B's URL, B from A's).
 */
import { sanitizeText } from '../core/sanitize.ts';
import {
	checkTransport,
	PUBLISHED_REGISTRY_GIT,
	type TransportUse,
} from '../core/transport-policy.ts';
import type { LintSink } from './lint-issues.ts';
import type { RegistryPlugin } from './model.ts';

export function lintRedirects(
	plugins: readonly RegistryPlugin[],
	sink: LintSink,
	transport: TransportUse = PUBLISHED_REGISTRY_GIT,
): void {
	const currentUrl = firstOwners(plugins, (p) => [p.canonicalGitUrl]);
	const currentUuid = firstOwners(plugins, (p) => [p.uuid]);
	const redirectUrlOwners = allOwners(plugins, (p) => p.canonicalRedirectFrom);
	const redirectUuidOwners = allOwners(plugins, (p) => p.redirectFromUuid);
	/** plugin → the plugins whose current URL or UUID it redirects from. */
	const edges = new Map<RegistryPlugin, Set<RegistryPlugin>>();

	for (const plugin of plugins) {
		const id = sanitizeText(plugin.id);
		plugin.canonicalRedirectFrom.forEach((url, i) => {
			const shown = sanitizeText(plugin.redirectFrom[i] ?? url);
			if (!checkTransport(url, transport).allowed) {
				sink.error({
					code: 'INSECURE_REDIRECT_URL',
					message: `redirect_from URL ${shown} is not https; registry plugins are fetched over https only.`,
					plugin: id,
				});
			}
			checkAgainstCurrent(plugin, url, shown, 'URL', currentUrl, edges, sink);
		});
		for (const uuid of plugin.redirectFromUuid) {
			checkAgainstCurrent(plugin, uuid, uuid, 'UUID', currentUuid, edges, sink);
		}
	}
	reportConflicts(redirectUrlOwners, 'URL', sink);
	reportConflicts(redirectUuidOwners, 'UUID', sink);
	for (const cycle of findCycles(plugins, edges)) {
		sink.error({
			code: 'REDIRECT_CYCLE',
			message: `Redirect cycle: ${[...cycle, cycle[0]].map((p) => `"${sanitizeText(p?.id)}"`).join(' → ')}.`,
			...(cycle[0] === undefined ? {} : { plugin: sanitizeText(cycle[0].id) }),
		});
	}
}

function checkAgainstCurrent(
	plugin: RegistryPlugin,
	key: string,
	shown: string,
	kind: 'URL' | 'UUID',
	currentOwners: Map<string, RegistryPlugin>,
	edges: Map<RegistryPlugin, Set<RegistryPlugin>>,
	sink: LintSink,
): void {
	const id = sanitizeText(plugin.id);
	const own = kind === 'URL' ? plugin.canonicalGitUrl : plugin.uuid;
	if (key === own) {
		sink.error({
			code: 'REDIRECT_TO_SELF',
			message: `Redirects from its own current ${kind} ${shown}.`,
			plugin: id,
		});
		return;
	}
	const owner = currentOwners.get(key);
	if (owner === undefined || owner === plugin) return;
	sink.error({
		code: 'REDIRECT_SHADOWS_CURRENT',
		message: `Redirects from ${shown}, which is the current ${kind} of "${sanitizeText(owner.id)}".`,
		plugin: id,
	});
	const targets = edges.get(plugin) ?? new Set<RegistryPlugin>();
	targets.add(owner);
	edges.set(plugin, targets);
}

function reportConflicts(
	owners: Map<string, RegistryPlugin[]>,
	kind: 'URL' | 'UUID',
	sink: LintSink,
): void {
	for (const [key, plugins] of owners) {
		if (plugins.length < 2) continue;
		const ids = plugins.map((p) => `"${sanitizeText(p.id)}"`).join(', ');
		sink.error({
			code: 'REDIRECT_CONFLICT',
			message: `The old ${kind} ${sanitizeText(key)} is redirected by ${plugins.length} plugins: ${ids}.`,
			...(plugins[0] === undefined ? {} : { plugin: sanitizeText(plugins[0].id) }),
		});
	}
}

/** Each key's first plugin in registry order (duplicates are reported elsewhere). */
function firstOwners(
	plugins: readonly RegistryPlugin[],
	keys: (p: RegistryPlugin) => readonly string[],
): Map<string, RegistryPlugin> {
	const map = new Map<string, RegistryPlugin>();
	for (const plugin of plugins) {
		for (const key of keys(plugin)) if (!map.has(key)) map.set(key, plugin);
	}
	return map;
}

/** Each key's distinct plugins, in registry order. */
function allOwners(
	plugins: readonly RegistryPlugin[],
	keys: (p: RegistryPlugin) => readonly string[],
): Map<string, RegistryPlugin[]> {
	const map = new Map<string, RegistryPlugin[]>();
	for (const plugin of plugins) {
		for (const key of keys(plugin)) {
			const list = map.get(key);
			if (list === undefined) map.set(key, [plugin]);
			else if (!list.includes(plugin)) list.push(plugin);
		}
	}
	return map;
}

/**
 * Redirect cycles, one per back edge of an iterative depth-first search (a registry can hold
 * 100,000 plugins; recursion could overflow). Any graph with a cycle yields at least one.
 */
function findCycles(
	plugins: readonly RegistryPlugin[],
	edges: Map<RegistryPlugin, Set<RegistryPlugin>>,
): RegistryPlugin[][] {
	const state = new Map<RegistryPlugin, 'active' | 'done'>();
	const cycles: RegistryPlugin[][] = [];
	for (const start of plugins) {
		if (state.has(start) || !edges.has(start)) continue;
		const path: RegistryPlugin[] = [start];
		const iterators = [(edges.get(start) ?? new Set()).values()];
		state.set(start, 'active');
		while (path.length > 0) {
			const next = iterators[iterators.length - 1]?.next();
			if (next === undefined || next.done) {
				state.set(path.pop() as RegistryPlugin, 'done');
				iterators.pop();
				continue;
			}
			const target = next.value;
			const seen = state.get(target);
			if (seen === 'active') {
				cycles.push(path.slice(path.indexOf(target)));
			} else if (seen === undefined) {
				state.set(target, 'active');
				path.push(target);
				iterators.push((edges.get(target) ?? new Set()).values());
			}
		}
	}
	return cycles;
}
