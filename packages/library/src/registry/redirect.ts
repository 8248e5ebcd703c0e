/**
 * Redirects (spec §3.7, D7–D9). The registry always holds a plugin's current URL and UUID and
 * lists every old one, so the client looks up once and never chases a chain.
 *
 * The identity rule behind both functions: a UUID only counts together with a URL the registry
 * knows for the same plugin (its `git_url` or a `redirect_from`). A fork that copied a UUID sits
 * at a URL the registry does not list for that plugin, so it is never migrated to the real
 * plugin and never allowed to adopt its new UUID (D8).
 */
import { ExitCode } from '../core/errors.ts';
import { sanitizeText } from '../core/sanitize.ts';
import { normaliseUuid } from '../core/uuid.ts';
import { registryError } from './errors.ts';
import type { RegistryIndex } from './index.ts';
import type { RegistryPlugin } from './model.ts';

export interface RedirectResult {
	/** The current entry: install or update from `plugin.gitUrl`, expect `plugin.uuid`. */
	plugin: RegistryPlugin;
	urlChanged: boolean;
	uuidChanged: boolean;
}

export interface InstalledIdentity {
	/** The source URL the plugin was installed from, any spelling. */
	url: string;
	/** The installed manifest's UUID, when known. */
	uuid?: string;
}

/**
 * Where an installed plugin lives now, or undefined when it has not moved (spec §11 item 52),
 * when the registry does not know it, or when its UUID is not one the registry binds to that
 * URL. Throws REDIRECT_CHAIN when the target has itself moved: one hop only (D9).
 */
export function resolveRedirect(
	index: RegistryIndex,
	installed: InstalledIdentity,
): RedirectResult | undefined {
	const url = index.canonical(installed.url);
	if (url === undefined) return undefined;
	// A current git_url beats a redirect_from of another plugin.
	const plugin = index.byUrl(installed.url) ?? index.byRedirectUrl(installed.url);
	if (plugin === undefined) return undefined;
	const uuid = installed.uuid === undefined ? undefined : normaliseUuid(installed.uuid);
	if (uuid !== undefined && uuid !== plugin.uuid && !plugin.redirectFromUuid.includes(uuid)) {
		// The URL is known but the UUID belongs to something else: not a move the registry declared.
		return undefined;
	}
	const urlChanged = url !== plugin.canonicalGitUrl;
	const uuidChanged = uuid !== undefined && uuid !== plugin.uuid;
	if (!urlChanged && !uuidChanged) return undefined;
	assertFinalTarget(index, plugin);
	return { plugin, urlChanged, uuidChanged };
}

/** The target must be where the chain ends: nobody may redirect from its current URL or UUID. */
function assertFinalTarget(index: RegistryIndex, plugin: RegistryPlugin): void {
	const byUrl = index.byRedirectUrl(plugin.canonicalGitUrl);
	const byUuid = index.byRedirectUuid(plugin.uuid);
	const next = [byUrl, byUuid].find((other) => other !== undefined && other !== plugin);
	if (next !== undefined) {
		throw registryError(
			'REDIRECT_CHAIN',
			`The registry redirects to "${sanitizeText(plugin.id)}", which itself redirects to "${sanitizeText(next.id)}". Only one redirect hop is followed.`,
			{
				hint: 'The registry is inconsistent; tell its maintainers (vouch registry lint finds this).',
			},
		);
	}
}

export type UuidChangeVerdict =
	| { allowed: true; plugin?: RegistryPlugin }
	| {
			allowed: false;
			/**
			 * - `no-registry`: nothing can vouch for the move;
			 * - `undeclared`: no entry with the new UUID lists the old one in `redirect_from_uuid`;
			 * - `unknown-source`: it does, but the plugin was installed from a URL the entry does not list.
			 */
			reason: 'no-registry' | 'undeclared' | 'unknown-source';
			plugin?: RegistryPlugin;
	  };

export interface UuidChange {
	installedUuid: string;
	newUuid: string;
	/** Where the update comes from (the installed source URL, after any URL redirect). */
	sourceUrl: string;
}

/** D7: an update or switch-ref may change the manifest UUID only along a declared, source-bound move. */
export function checkUuidChange(
	index: RegistryIndex | undefined,
	change: UuidChange,
): UuidChangeVerdict {
	const installed = normaliseUuid(change.installedUuid);
	const next = normaliseUuid(change.newUuid);
	if (installed === next) return { allowed: true };
	if (index === undefined) return { allowed: false, reason: 'no-registry' };
	const plugin = index.byUuid(next);
	if (plugin === undefined || !plugin.redirectFromUuid.includes(installed)) {
		return plugin === undefined
			? { allowed: false, reason: 'undeclared' }
			: { allowed: false, reason: 'undeclared', plugin };
	}
	const source = index.canonical(change.sourceUrl);
	const known =
		source !== undefined &&
		(source === plugin.canonicalGitUrl || plugin.canonicalRedirectFrom.includes(source));
	return known ? { allowed: true, plugin } : { allowed: false, reason: 'unknown-source', plugin };
}

/** `checkUuidChange`, throwing UUID_CHANGE_REJECTED (exit code 3, a trust policy block). */
export function assertUuidChangeAllowed(
	index: RegistryIndex | undefined,
	change: UuidChange,
): void {
	const verdict = checkUuidChange(index, change);
	if (verdict.allowed) return;
	const why = {
		'no-registry': 'no registry is available to confirm the move',
		undeclared: 'the registry does not declare this UUID move',
		'unknown-source': 'the plugin was not installed from a URL the registry lists for it',
	}[verdict.reason];
	throw registryError(
		'UUID_CHANGE_REJECTED',
		`The new version changes the plugin UUID from ${sanitizeText(change.installedUuid)} to ${sanitizeText(change.newUuid)}, and ${why}.`,
		{
			hint: 'A UUID is a plugin identity; a changed one may mean a different plugin. Keep the installed version.',
			exitCode: ExitCode.blocked,
			details: { reason: verdict.reason },
		},
	);
}
