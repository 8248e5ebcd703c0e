/**
 * An action blocks only what its incident is about (D22). The incident is what users reach
 * through the entry's link, what its author appeals, and what the public reads: a block of
 * another plugin (or of another owner) filed under it would send that plugin's users and author
 * to an unrelated page, and its appeal would be decided on the wrong evidence. So:
 * - a plugin or version incident about one plugin acts on that plugin only;
 * - an incident about several plugins (one finding, `registry hunt`) acts on those plugins;
 * - an author incident acts on plugins under its owner's URL, or blocks that owner;
 * - an incident about an unregistered URL or uuid acts on a plugin the registry now lists
 *   under that URL or uuid;
 * - an author block names the owner of the incident's plugins, or the author incident's owner.
 * Something else is another incident: open one.
 *
 * And it blocks the plugin as it was requested (`assertRequestedTarget`).
 */
import { sanitizeText } from '@vouch/library/internal/core/sanitize';
import { normaliseUuid } from '@vouch/library/internal/core/uuid';
import type { RegistryPlugin } from '@vouch/library/internal/registry/model';
import { serverError } from '../errors.ts';
import { ownerPrefixOf } from './grouping.ts';
import type { IncidentRow } from './rows.ts';
import type { ActionParams } from './types.ts';

/** The plugin ids the incident names, or undefined when it is about an owner or a URL. */
function namedPluginIds(incident: IncidentRow): string[] | undefined {
	if (incident.grouping === 'author') return undefined;
	if (incident.plugin_id !== null) return [incident.plugin_id];
	if (incident.group_key.startsWith('plugins:')) {
		return incident.group_key.slice('plugins:'.length).split(',');
	}
	return undefined;
}

/** Refuses a plugin action on a plugin the incident is not about. */
export function assertPluginInScope(incident: IncidentRow, plugin: RegistryPlugin): void {
	const named = namedPluginIds(incident);
	const inScope =
		named !== undefined
			? named.includes(plugin.id)
			: incident.grouping === 'author'
				? plugin.canonicalGitUrl.startsWith(incident.group_key)
				: incident.group_key === `url:${plugin.canonicalGitUrl}` ||
					incident.group_key === `uuid:${plugin.uuid}`;
	if (!inScope) throw outOfScope(`plugin ${plugin.id}`);
}

/** Refuses an author block of an owner the incident is not about. */
export function assertOwnerInScope(
	incident: IncidentRow,
	ownerUrl: string,
	plugins: readonly RegistryPlugin[],
): void {
	if (incident.grouping === 'author') {
		if (incident.group_key !== ownerUrl) throw outOfScope(`owner ${ownerUrl}`);
		return;
	}
	const named = namedPluginIds(incident);
	const urls =
		named !== undefined
			? plugins.filter((plugin) => named.includes(plugin.id)).map((p) => p.canonicalGitUrl)
			: incident.group_key.startsWith('url:')
				? [incident.group_key.slice('url:'.length)]
				: [];
	if (!urls.some((url) => ownerPrefixOf(url) === ownerUrl)) throw outOfScope(`owner ${ownerUrl}`);
}

/**
 * The plugin an action names is where it was when the action was requested. The entry names the
 * plugin's uuid AND URL as they are when it is written; a plugin one maintainer moved while its
 * block waited for a second would otherwise be blocked at the new address only, and the copies
 * installed from the address the two judged never would. A respelling of that address is no
 * move (canonical URLs, D2). Actions stored before the service kept the target are not asked.
 */
export function assertRequestedTarget(
	plugins: readonly RegistryPlugin[],
	actionId: number,
	params: ActionParams,
): void {
	const wanted = params.target;
	if (wanted === undefined || params.pluginId === undefined) return;
	if (isAtRequestedTarget(plugins, params)) return;
	const plugin = plugins.find((p) => p.id === params.pluginId);
	const now =
		plugin === undefined
			? 'is no longer listed'
			: `is now ${sanitizeText(plugin.gitUrl, { maxLength: 300 })} (uuid ${sanitizeText(plugin.uuid, { maxLength: 40 })})`;
	throw serverError(
		'BAD_REQUEST',
		`Action ${actionId} was requested for ${sanitizeText(params.pluginId, { maxLength: 200 })} at ${sanitizeText(wanted.url, { maxLength: 300 })} (uuid ${wanted.uuid}); the plugin ${now}, so the block was not applied.`,
		{
			hint: `Read the registry's changes to see who moved it. Refuse this request (POST /api/v1/admin/actions/${actionId}/revert) and ask again for what should be blocked now, or move the plugin back first.`,
		},
	);
}

/**
 * Whether the plugin the action names is listed where it was requested (the same id, uuid and
 * canonical URL); true for an action with no such target. What an approval asks, and what an
 * edit may not change while the action waits (`pending-targets.ts`).
 */
export function isAtRequestedTarget(
	plugins: readonly RegistryPlugin[],
	params: ActionParams,
): boolean {
	const wanted = params.target;
	if (wanted === undefined || params.pluginId === undefined) return true;
	const plugin = plugins.find((p) => p.id === params.pluginId);
	return (
		plugin !== undefined &&
		normaliseUuid(plugin.uuid) === wanted.uuid &&
		plugin.canonicalGitUrl === wanted.url
	);
}

/**
 * The plugin an action is about, as the registry lists it now: by the id it was requested for,
 * else at the uuid and canonical URL it was requested for (the plugin listed again under a new
 * id, which a held entry allows: it still blocks the same repository). What decides whether the
 * action's plugin is now one dual control protects, and which quarantine a hard block supersedes.
 */
export function pluginOfAction(
	plugins: readonly RegistryPlugin[],
	params: ActionParams,
): RegistryPlugin | undefined {
	if (params.pluginId === undefined) return undefined;
	const wanted = params.target;
	return (
		plugins.find((p) => p.id === params.pluginId) ??
		(wanted === undefined
			? undefined
			: plugins.find(
					(p) => normaliseUuid(p.uuid) === wanted.uuid && p.canonicalGitUrl === wanted.url,
				))
	);
}

function outOfScope(what: string) {
	return serverError('BAD_REQUEST', `This incident is not about ${what}.`, {
		hint: 'An action blocks what its incident is about: open an incident for the other one.',
	});
}
