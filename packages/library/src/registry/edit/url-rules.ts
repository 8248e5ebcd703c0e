/**
 * The checks every URL a registry edit writes goes through: the transport rule (D11, from its
 * one home in core) and uniqueness in canonical form (D2) against every current and old URL
 * of the other plugins (D9).
 */

import { tryCanonicalUrl } from '../../core/canonical-url.ts';
import { sanitizeText } from '../../core/sanitize.ts';
import { checkTransport } from '../../core/transport-policy.ts';
import { registryError } from '../errors.ts';
import type { EditContext } from './plan.ts';

/** The canonical form of a URL the registry may list, or INVALID_EDIT. */
export function checkRegistryUrl(context: EditContext, url: string): string {
	const canonical = tryCanonicalUrl(url, context.urlContext);
	if (canonical === undefined) {
		throw registryError('INVALID_EDIT', `${sanitizeText(url)} is not a usable git URL.`);
	}
	const decision = checkTransport(url, {
		kind: 'registry-git',
		registryIsLocal: context.registryIsLocal,
	});
	if (!decision.allowed) {
		throw registryError(
			'INVALID_EDIT',
			`${sanitizeText(url)} cannot be listed by this registry (${decision.refusal}).`,
			{
				hint: context.registryIsLocal
					? 'Registry git URLs use https (plain http only to loopback), or a local path.'
					: 'Registry git URLs use https (plain http only to loopback).',
			},
		);
	}
	return canonical;
}

/** Refuses a URL that is already some plugin's current or old URL (except `ownerId`'s own, when allowed). */
export function assertUrlUnused(
	context: EditContext,
	canonical: string,
	options: { exceptId?: string } = {},
): void {
	for (const plugin of context.registry.plugins) {
		if (plugin.id === options.exceptId) continue;
		if (plugin.canonicalGitUrl === canonical) {
			throw duplicate(`the URL is already the git_url of ${plugin.id}`);
		}
		if (plugin.canonicalRedirectFrom.includes(canonical)) {
			throw duplicate(`the URL is already an old URL (redirect_from) of ${plugin.id}`);
		}
	}
}

export function duplicate(what: string) {
	return registryError('DUPLICATE_ENTRY', `Refused: ${sanitizeText(what)}.`);
}
