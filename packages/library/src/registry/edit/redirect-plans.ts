/**
 * `plugin redirect <id> <old-url> [--remove]`: the plugin's `redirect_from` list. An old URL is
 * compared in canonical form (D2) and may not be any plugin's current or old URL (D9), or the
 * plugin's own current one.
 */
import { tryCanonicalUrl } from '../../core/canonical-url.ts';
import { sanitizeText } from '../../core/sanitize.ts';
import { registryError } from '../errors.ts';
import { type EditContext, type EditPlan, findPlugin } from './plan.ts';
import { bumpUpdatedAt, emptyPlan } from './plugin-plans.ts';
import { assertUrlUnused, checkRegistryUrl, duplicate } from './url-rules.ts';

function redirectsOf(entry: Record<string, unknown>): string[] {
	return Array.isArray(entry.redirect_from)
		? entry.redirect_from.filter((url): url is string => typeof url === 'string')
		: [];
}

export function listRedirects(context: EditContext, id: string): string[] {
	return redirectsOf(findPlugin(context, id).entry);
}

export function planRedirectAdd(
	context: EditContext,
	id: string,
	oldUrl: string,
	options: { reason?: string; report?: string } = {},
): EditPlan {
	const { index, entry } = findPlugin(context, id);
	const canonical = checkRegistryUrl(context, oldUrl);
	const own = context.registry.plugins.find((plugin) => plugin.id === id);
	if (own?.canonicalGitUrl === canonical) throw duplicate(`the URL is ${id}'s own current git_url`);
	if (own?.canonicalRedirectFrom.includes(canonical)) {
		throw duplicate(`${id} already redirects from this URL`);
	}
	assertUrlUnused(context, canonical, { exceptId: id });
	const current = redirectsOf(entry);
	const plan = emptyPlan(context, 'plugin.redirect.add', id);
	plan.change.reason = options.reason;
	plan.change.report = options.report;
	plan.ops.push({ op: 'set-plugin-key', index, key: 'redirect_from', value: [...current, oldUrl] });
	plan.change.fields = [{ field: 'redirect_from', from: null, to: oldUrl }];
	bumpUpdatedAt(plan, index, context);
	return plan;
}

export function planRedirectRemove(
	context: EditContext,
	id: string,
	oldUrl: string,
	options: { reason?: string } = {},
): EditPlan {
	const { index, entry } = findPlugin(context, id);
	const wanted = tryCanonicalUrl(oldUrl, context.urlContext) ?? oldUrl;
	const current = redirectsOf(entry);
	const kept = current.filter(
		(url) => url !== oldUrl && (tryCanonicalUrl(url, context.urlContext) ?? url) !== wanted,
	);
	if (kept.length === current.length) {
		throw registryError(
			'ENTRY_NOT_FOUND',
			`${sanitizeText(id)} does not redirect from ${sanitizeText(oldUrl)}.`,
			{
				hint: `See its redirects with \`vouch registry plugin redirect ${sanitizeText(id)} --list\`.`,
			},
		);
	}
	const plan = emptyPlan(context, 'plugin.redirect.remove', id);
	plan.change.reason = options.reason;
	plan.ops.push({
		op: 'set-plugin-key',
		index,
		key: 'redirect_from',
		value: kept.length === 0 ? undefined : kept,
	});
	plan.change.fields = [{ field: 'redirect_from', from: oldUrl, to: null }];
	bumpUpdatedAt(plan, index, context);
	return plan;
}
