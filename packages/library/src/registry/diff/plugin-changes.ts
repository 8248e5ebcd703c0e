/**
 * The changes between two versions of one plugin entry, and what an added or removed entry
 * means. Which of them lower security:
 * - a trust raise (a new official or trusted entry is a raise from unregistered);
 * - a git URL or UUID change of an official or trusted plugin: the trust now binds to other
 *   code (D6);
 * - a new `redirect_from` URL or UUID on an official or trusted plugin: installs from that
 *   address migrate to the entry (D8);
 * - an unpin: a pin removed, or held to no pins any more (D19b);
 * - a signer added to an entry, or the list of signers dropped.
 * URLs are compared in canonical form (D2), so a new spelling of the same address is no change.
 */
import { sanitizeText } from '../../core/sanitize.ts';
import type { RegistryPlugin, TrustLevel } from '../model.ts';
import { TRUST_ORDER } from '../model.ts';
import type { DiffChange } from './changes.ts';
import { type Draft, pinChanges } from './pin-changes.ts';
import { heldBy, NO_OWNERS, type PreviousOwners } from './redirect-takeover.ts';

const s = (text: string) => sanitizeText(text, { maxLength: 300 });

function rank(level: TrustLevel): number {
	return TRUST_ORDER.length - TRUST_ORDER.indexOf(level);
}

function isElevated(level: TrustLevel): boolean {
	return level === 'official' || level === 'trusted';
}

export function addedPluginChanges(
	plugin: RegistryPlugin,
	owners: PreviousOwners = NO_OWNERS,
): DiffChange[] {
	const elevated = isElevated(plugin.trustLevel);
	// A new entry's redirects are part of it; only those that take another plugin's users over
	// are listed on their own.
	const takeovers = redirectChanges(undefined, plugin, elevated, plugin.trustLevel, owners)
		.filter((draft) => draft.takesOver === true)
		.map(({ takesOver: _, ...draft }) => ({ ...draft, plugin: s(plugin.id) }));
	return [
		...takeovers,
		{
			kind: 'plugin-added',
			plugin: s(plugin.id),
			after: plugin.trustLevel,
			lowersSecurity: elevated,
			...(elevated
				? { why: `a new plugin is ${plugin.trustLevel} from the start (a trust raise)` }
				: {}),
			message: `New ${plugin.trustLevel} plugin "${s(plugin.id)}" (${s(plugin.gitUrl)}, UUID ${plugin.uuid}).`,
		},
	];
}

/**
 * A removal is no risk by itself; but when the new file holds entries Vouch's reader skips, the
 * "removed" plugin may be one of them, changed. Other readers (Picard's ignores what Vouch's
 * refuses) may still list it, so whatever changed in it (a new git_url for an official plugin)
 * would pass unseen as a removal. `unreadable` names the skipped entries of the new file.
 */
export function removedPluginChanges(
	plugin: RegistryPlugin,
	unreadable: readonly string[] = [],
): DiffChange[] {
	const hidden = unreadable.length > 0;
	return [
		{
			kind: 'plugin-removed',
			plugin: s(plugin.id),
			before: plugin.trustLevel,
			lowersSecurity: hidden,
			...(hidden
				? {
						why: `the new file has entries Vouch cannot read (${unreadable.map(s).join(', ')}); this plugin may be among them, changed, for clients that still read it`,
					}
				: {}),
			message: `Plugin "${s(plugin.id)}" removed (was ${plugin.trustLevel}, ${s(plugin.gitUrl)}).`,
		},
	];
}

export function pluginChanges(
	before: RegistryPlugin,
	after: RegistryPlugin,
	owners: PreviousOwners = NO_OWNERS,
): DiffChange[] {
	const drafts: Draft[] = [];
	const elevated = isElevated(before.trustLevel) || isElevated(after.trustLevel);
	const levelShown = isElevated(after.trustLevel) ? after.trustLevel : before.trustLevel;
	if (before.id !== after.id) {
		drafts.push({
			kind: 'plugin-renamed',
			before: s(before.id),
			after: s(after.id),
			lowersSecurity: false,
			message: `Renamed from "${s(before.id)}".`,
		});
	}
	if (before.uuid !== after.uuid) {
		drafts.push({
			kind: 'uuid-changed',
			before: before.uuid,
			after: after.uuid,
			lowersSecurity: elevated,
			...(elevated ? { why: `the ${levelShown} trust now binds to another UUID` } : {}),
			message: `UUID ${before.uuid} → ${after.uuid}.`,
		});
	}
	if (before.trustLevel !== after.trustLevel) {
		const raise = rank(after.trustLevel) > rank(before.trustLevel);
		drafts.push({
			kind: 'trust-changed',
			before: before.trustLevel,
			after: after.trustLevel,
			lowersSecurity: raise,
			...(raise ? { why: 'trust raised' } : {}),
			message: `Trust ${before.trustLevel} → ${after.trustLevel}.`,
		});
	}
	if (before.canonicalGitUrl !== after.canonicalGitUrl) {
		drafts.push({
			kind: 'git-url-changed',
			before: s(before.gitUrl),
			after: s(after.gitUrl),
			lowersSecurity: elevated,
			...(elevated
				? { why: `the ${levelShown} trust now applies to code at another address` }
				: {}),
			message: `git_url ${s(before.gitUrl)} → ${s(after.gitUrl)}.`,
		});
	}
	drafts.push(
		...redirectChanges(before, after, elevated, levelShown, owners).map(
			({ takesOver: _, ...draft }) => draft,
		),
	);
	drafts.push(...pinChanges(before, after));
	drafts.push(...listChanges(before, after));
	return drafts.map((draft) => ({
		...draft,
		plugin: s(after.id),
		...(before.id === after.id ? {} : { oldPlugin: s(before.id) }),
	}));
}

type RedirectDraft = Draft & { takesOver?: boolean };

/** `before` is undefined for a new entry. */
function redirectChanges(
	before: RegistryPlugin | undefined,
	after: RegistryPlugin,
	elevated: boolean,
	level: TrustLevel,
	owners: PreviousOwners,
): RedirectDraft[] {
	const drafts: RedirectDraft[] = [];
	const oldUrls = new Set(before?.canonicalRedirectFrom ?? []);
	const newUrls = new Set(after.canonicalRedirectFrom);
	after.canonicalRedirectFrom.forEach((url, i) => {
		if (oldUrls.has(url)) return;
		const shown = s(after.redirectFrom[i] ?? url);
		const owner = heldBy(owners.urls, url, before);
		const why =
			owner !== undefined
				? `the address was ${s(owner.id)}'s: its users would move to this entry`
				: elevated
					? `installs from ${shown} would move to the ${level} entry`
					: undefined;
		drafts.push({
			kind: 'redirect-added',
			after: shown,
			lowersSecurity: why !== undefined,
			...(why === undefined ? {} : { why }),
			...(owner === undefined ? {} : { takesOver: true }),
			message: `redirect_from adds ${shown}.`,
		});
	});
	if (before === undefined) {
		for (const uuid of after.redirectFromUuid) {
			const owner = heldBy(owners.uuids, uuid, undefined);
			if (owner !== undefined) drafts.push(uuidTakeover(uuid, owner));
		}
		return drafts;
	}
	before.canonicalRedirectFrom.forEach((url, i) => {
		if (newUrls.has(url)) return;
		const shown = s(before.redirectFrom[i] ?? url);
		drafts.push({
			kind: 'redirect-removed',
			before: shown,
			lowersSecurity: false,
			message: `redirect_from drops ${shown}.`,
		});
	});
	for (const uuid of after.redirectFromUuid) {
		if (before.redirectFromUuid.includes(uuid)) continue;
		const owner = heldBy(owners.uuids, uuid, before);
		if (owner !== undefined) {
			drafts.push(uuidTakeover(uuid, owner));
			continue;
		}
		drafts.push({
			kind: 'uuid-redirect-added',
			after: uuid,
			lowersSecurity: elevated,
			...(elevated ? { why: `plugins with UUID ${uuid} would move to the ${level} entry` } : {}),
			message: `redirect_from_uuid adds ${uuid}.`,
		});
	}
	for (const uuid of before.redirectFromUuid) {
		if (after.redirectFromUuid.includes(uuid)) continue;
		drafts.push({
			kind: 'uuid-redirect-removed',
			before: uuid,
			lowersSecurity: false,
			message: `redirect_from_uuid drops ${uuid}.`,
		});
	}
	return drafts;
}

function uuidTakeover(uuid: string, owner: RegistryPlugin): RedirectDraft {
	return {
		kind: 'uuid-redirect-added',
		after: uuid,
		lowersSecurity: true,
		why: `the UUID was ${s(owner.id)}'s: its users would move to this entry`,
		takesOver: true,
		message: `redirect_from_uuid adds ${uuid}.`,
	};
}

function listChanges(before: RegistryPlugin, after: RegistryPlugin): Draft[] {
	const drafts: Draft[] = [];
	const addedSigners = after.signers.filter((key) => !before.signers.includes(key));
	const droppedAll = before.signers.length > 0 && after.signers.length === 0;
	if (addedSigners.length > 0 || droppedAll || before.signers.length !== after.signers.length) {
		const lowers = addedSigners.length > 0 || droppedAll;
		drafts.push({
			kind: 'signers-changed',
			before: `${before.signers.length} signer(s)`,
			after: `${after.signers.length} signer(s)`,
			lowersSecurity: lowers,
			...(lowers
				? {
						why: droppedAll
							? 'release tags no longer need an author signature'
							: 'a new key may sign releases',
					}
				: {}),
			message: `Signers: ${before.signers.length} → ${after.signers.length}${addedSigners.length > 0 ? ` (${addedSigners.length} new)` : ''}.`,
		});
	}
	const refs = (p: RegistryPlugin) =>
		p.refs.map((r) => `${r.name}[${r.minApiVersion ?? ''}..${r.maxApiVersion ?? ''}]`).join(', ');
	if (refs(before) !== refs(after)) {
		drafts.push({
			kind: 'refs-changed',
			before: s(refs(before)),
			after: s(refs(after)),
			lowersSecurity: false,
			message: `Refs ${s(refs(before))} → ${s(refs(after))}.`,
		});
	}
	if ((before.versioningScheme ?? '') !== (after.versioningScheme ?? '')) {
		drafts.push({
			kind: 'versioning-scheme-changed',
			before: s(before.versioningScheme ?? '(none)'),
			after: s(after.versioningScheme ?? '(none)'),
			lowersSecurity: false,
			message: `versioning_scheme ${s(before.versioningScheme ?? '(none)')} → ${s(after.versioningScheme ?? '(none)')}.`,
		});
	}
	const fields = metadataFields(before, after);
	if (fields.length > 0) {
		drafts.push({
			kind: 'metadata-changed',
			lowersSecurity: false,
			after: fields.join(', '),
			message: `Changed: ${fields.join(', ')}.`,
		});
	}
	return drafts;
}

function metadataFields(before: RegistryPlugin, after: RegistryPlugin): string[] {
	const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
	const fields: [string, unknown, unknown][] = [
		['name', before.name, after.name],
		['description', before.description, after.description],
		['name_i18n', sorted(before.nameI18n), sorted(after.nameI18n)],
		['description_i18n', sorted(before.descriptionI18n), sorted(after.descriptionI18n)],
		['categories', before.categories, after.categories],
		['authors', before.authors, after.authors],
		['maintainers', before.maintainers, after.maintainers],
	];
	return fields.filter(([, a, b]) => !same(a, b)).map(([name]) => name);
}

function sorted(record: Readonly<Record<string, string>>): [string, string][] {
	return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
