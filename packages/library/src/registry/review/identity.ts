/**
 * The identity part of a review: what the registry alone says about one plugin entry, before
 * any code is fetched. Every rule has its home elsewhere and is only called here:
 * - `registry lint` (ids, UUIDs, duplicates, transports D11, redirects D9, fields);
 * - trust binding (D6): a registered plugin's UUID at another address;
 * - the blacklist (D4);
 * - the release policy (D19b): the pins the trust level asked for needs;
 * - look-alikes (`lookalikes.ts`) and the registry id derivation (`registry-id.ts`).
 */
import { compileBlacklist } from '../../blacklist/index.ts';
import type { CanonicalUrlContext } from '../../core/canonical-url.ts';
import { confusableSkeleton, hasNonAsciiLetter, isInvisible } from '../../core/confusables.ts';
import { isVouchError } from '../../core/errors.ts';
import { sanitizeText } from '../../core/sanitize.ts';
import { buildRegistryIndex } from '../index.ts';
import { lintRegistry } from '../lint.ts';
import type { Registry, RegistryPlugin, TrustLevel } from '../model.ts';
import { deriveRegistryId } from '../registry-id.ts';
import { releasePolicy } from '../release-policy.ts';
import { resolveTrust } from '../trust.ts';
import type { FindingSink } from './findings.ts';
import { findLookalikes, type Lookalike } from './lookalikes.ts';

export interface IdentityReviewInput {
	/** The entry under review, as the pull request writes it (or as built for a candidate URL). */
	subject: RegistryPlugin;
	/** The registry the pull request produces, the subject included or not. */
	registry: Registry;
	/** The trust level asked for: the entry's own unless `--trust` says otherwise. */
	trust: TrustLevel;
	/** The host's categories, for lint. */
	categories?: readonly string[];
	/** The registry is a local file, whose entries may name local repositories (D11). */
	registryIsLocal: boolean;
	urlContext: CanonicalUrlContext;
}

const q = (text: string) => `"${sanitizeText(text, { maxLength: 120 })}"`;

export function reviewIdentity(input: IdentityReviewInput, sink: FindingSink): void {
	const { subject, registry } = input;
	const others = registry.plugins.filter(
		(plugin) => plugin !== subject && !sameEntry(plugin, subject),
	);
	lintSubject(input, others, sink);
	reviewIdRules(subject, sink);
	reviewName(subject, others, sink);
	const index = buildRegistryIndex({ ...registry, plugins: others }, input.urlContext);
	const trust = resolveTrust(index, { url: subject.gitUrl, uuid: subject.uuid });
	if (trust.impersonation !== undefined) {
		sink.add('UUID_IMPERSONATION', 'error', trust.impersonation.reason);
	}
	for (const lookalike of findLookalikes(subject, others)) reportLookalike(lookalike, sink);
	const blacklist = compileBlacklist(registry.blacklist, input.urlContext);
	const verdict = blacklist.check(
		{ url: subject.gitUrl, uuid: subject.uuid },
		{ unknownVersion: 'match' },
	);
	if (verdict.blocked) {
		sink.add(
			'BLACKLISTED',
			'error',
			`The registry's blacklist blocks this plugin: ${verdict.reason}`,
		);
	}
	if (releasePolicy(input.trust, subject).kind === 'unpinned-official') {
		// As in lint: an unsigned registry can list it, `registry publish` refuses it.
		sink.add(
			'PINS_REQUIRED',
			'warning',
			'Official trust needs at least one reviewed release pin (D19b); a signed registry cannot publish it without one. Pin one with `vouch registry pin`.',
		);
	}
}

/** The same plugin in another copy of the registry (the subject was rebuilt, not shared). */
function sameEntry(a: RegistryPlugin, b: RegistryPlugin): boolean {
	return a.id === b.id && a.uuid === b.uuid && a.canonicalGitUrl === b.canonicalGitUrl;
}

/**
 * Lint with the subject last: a duplicate is reported on the later entry, so it is always
 * reported on the one under review. Only its own issues are kept; the official-pin warning is
 * judged against the trust asked for instead (`PINS_REQUIRED`).
 */
function lintSubject(
	input: IdentityReviewInput,
	others: RegistryPlugin[],
	sink: FindingSink,
): void {
	const ordered: Registry = {
		...input.registry,
		plugins: [...others, input.subject],
		warnings: input.registry.warnings.filter(
			(warning) => warning.plugin === undefined || warning.plugin === input.subject.id,
		),
		rawPluginCount: others.length + 1,
	};
	const report = lintRegistry(ordered, {
		...(input.categories === undefined ? {} : { categories: input.categories }),
		...(input.registryIsLocal
			? { transport: { kind: 'registry-git', registryIsLocal: true } as const }
			: {}),
	});
	const mine = sanitizeText(input.subject.id);
	for (const [issues, severity] of [
		[report.errors, 'error'],
		[report.warnings, 'warning'],
	] as const) {
		for (const issue of issues) {
			if (issue.plugin !== mine || issue.code === 'OFFICIAL_NOT_PINNED') continue;
			sink.add(issue.code, severity, issue.message);
		}
	}
}

/** The id should be the one derived from the repository name (spec §1), so it is predictable. */
function reviewIdRules(subject: RegistryPlugin, sink: FindingSink): void {
	let derived: string | undefined;
	try {
		derived = deriveRegistryId(subject.gitUrl);
	} catch (error) {
		if (!isVouchError(error)) throw error;
	}
	if (derived !== undefined && derived !== subject.id) {
		sink.add(
			'ID_NOT_DERIVED',
			'warning',
			`The id ${q(subject.id)} is not the one derived from the repository name (${q(derived)}).`,
		);
	}
}

function reviewName(subject: RegistryPlugin, others: RegistryPlugin[], sink: FindingSink): void {
	const name = subject.name;
	if (
		name.trim() === '' ||
		name !== name.trim() ||
		sanitizeText(name) !== name ||
		hasInvisible(name)
	) {
		sink.add(
			'NAME_INVALID',
			'error',
			`The name ${q(name)} is empty, has leading or trailing spaces, or holds control or invisible characters.`,
		);
	}
	if (mixesScripts(name)) {
		sink.add(
			'NAME_INVALID',
			'error',
			`The name ${q(name)} mixes Latin letters with letters of another script that look like them.`,
		);
	}
	const key = name.normalize('NFC').trim().toLowerCase();
	for (const other of others) {
		if (other.name.normalize('NFC').trim().toLowerCase() !== key) continue;
		sink.add(
			'NAME_TAKEN',
			'error',
			`The name ${q(name)} is already the name of ${q(other.id)} (${sanitizeText(other.gitUrl)}).`,
		);
	}
}

/**
 * A character that draws nothing (zero-width space, Hangul filler...) hides a difference
 * between two names. Combining marks are drawn (accents), so they do not count here.
 */
function hasInvisible(name: string): boolean {
	for (const ch of name) {
		if (isInvisible(ch) && !/[\p{Mn}\p{Me}]/u.test(ch)) return true;
	}
	return false;
}

/**
 * Latin letters beside letters another script writes the same way (`Аdd` with a Cyrillic А,
 * `Cօllection` with an Armenian օ): a name in one script (Cyrillic, Greek, CJK) is fine, a
 * Latin one with accents is fine.
 */
function mixesScripts(name: string): boolean {
	if (!hasNonAsciiLetter(name)) return false;
	// Word by word: "Tagger для Picard" names two languages; "Tаgger" fakes one word.
	return name.split(/\s+/u).some((word) => {
		if (!/[A-Za-z]/.test(word)) return false;
		for (const ch of word) {
			if (!/\p{L}/u.test(ch) || /\p{Script=Latin}/u.test(ch)) continue;
			// A foreign letter that a skeleton reads as a Latin one.
			if (/^[a-z0-9]$/.test(confusableSkeleton(ch))) return true;
		}
		return false;
	});
}

function reportLookalike(lookalike: Lookalike, sink: FindingSink): void {
	const owner = q(lookalike.plugin.id);
	const field = lookalike.field === 'url' ? 'git_url' : lookalike.field;
	const resembles = sanitizeText(lookalike.resembles, { maxLength: 200 });
	if (lookalike.strength === 'confusable') {
		const code =
			lookalike.field === 'id'
				? 'CONFUSABLE_ID'
				: lookalike.field === 'name'
					? 'CONFUSABLE_NAME'
					: 'CONFUSABLE_URL';
		sink.add(
			code,
			'error',
			`The ${field} looks the same as the ${field} of ${owner} (${resembles}) but is written with other characters.`,
		);
		return;
	}
	const code =
		lookalike.field === 'id'
			? 'LOOKALIKE_ID'
			: lookalike.field === 'name'
				? 'LOOKALIKE_NAME'
				: 'LOOKALIKE_URL';
	sink.add(
		code,
		'warning',
		`The ${field} is ${lookalike.distance} edit(s) from the ${field} of ${owner} (${resembles}).`,
	);
}
