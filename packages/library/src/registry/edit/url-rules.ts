/**
 * The checks every URL a registry edit writes goes through: the transport rule (D11, from its
 * one home in core) and uniqueness in canonical form (D2) against every current and old URL
 * of the other plugins (D9).
 *
 * The URL is written as typed, so it must be fit to publish as it is: no credentials (D2: a
 * token pasted with the URL would go out to every client, and `https://github.com@evil.example`
 * reads as one host while naming another), nothing around it or inside it that a reader would
 * not see (spaces, control or bidi characters), and no leading `-` that a tool could take for
 * an option.
 */

import { tryCanonicalUrl } from '../../core/canonical-url.ts';
import { redactUrlCredentials, sanitizeText } from '../../core/sanitize.ts';
import { checkTransport } from '../../core/transport-policy.ts';
import { registryError } from '../errors.ts';
import type { EditContext } from './plan.ts';

/** The canonical form of a URL the registry may list, or INVALID_EDIT. */
export function checkRegistryUrl(context: EditContext, url: string): string {
	const unfit = unpublishable(url);
	if (unfit !== undefined) {
		throw registryError(
			'INVALID_EDIT',
			`${sanitizeText(redactUrlCredentials(url))} cannot be written to the registry: ${unfit}.`,
			{ hint: 'Give the plain address, as every client will fetch it.' },
		);
	}
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

function unpublishable(url: string): string | undefined {
	if (redactUrlCredentials(url) !== url) return 'it carries a user name or password';
	if (url.startsWith('-')) return 'it starts with "-"';
	// sanitizeText drops exactly the characters a terminal or a reader would not show.
	if (url !== url.trim() || sanitizeText(url) !== url) {
		return 'it holds spaces around it, or control or invisible characters';
	}
	return undefined;
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

export function duplicate(what: string, hint?: string) {
	return registryError(
		'DUPLICATE_ENTRY',
		`Refused: ${sanitizeText(what)}.`,
		hint === undefined ? {} : { hint },
	);
}
