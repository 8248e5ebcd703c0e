/**
 * A new `[[plugins]]` entry built the way Picard's registry tool builds one: id derived from
 * the URL, name, description, authors and translations copied from the MANIFEST.toml, refs
 * written only when they differ from a single plain `main`, and the two timestamps.
 */
import { compilePythonPattern } from '../../core/pyregex.ts';
import { sanitizeText } from '../../core/sanitize.ts';
import { registryError } from '../errors.ts';
import { isSafeRefName } from '../lint.ts';
import { REGISTRY_TRUST_LEVELS, type RegistryTrustLevel } from '../model.ts';
import { deriveRegistryId } from '../registry-id.ts';
import type { TomlTable } from './operations.ts';

/** What a plugin entry copies from a MANIFEST.toml (the manifest module's `Manifest` fits). */
export interface ManifestFacts {
	uuid: string;
	name: string;
	description: string;
	authors: readonly string[];
	maintainers: readonly string[];
	categories: readonly string[];
	nameI18n: Readonly<Record<string, string>>;
	descriptionI18n: Readonly<Record<string, string>>;
}

export interface RefSpec {
	name: string;
	min_api_version?: string;
	max_api_version?: string;
}

const API_VERSION = /^\d{1,4}(?:\.\d{1,4}){0,3}$/;
/** More refs than any plugin needs; each one is cloned. */
export const MAX_SPEC_REFS = 20;

/** `main:4.0,picard-v3:3.0-3.99`: names, each with an optional `min` or `min-max`. */
export function parseRefsSpec(spec: string): RefSpec[] {
	const parts = spec.split(',').map((part) => part.trim());
	if (parts.length > MAX_SPEC_REFS) throw invalid(`at most ${MAX_SPEC_REFS} refs can be given`);
	const refs: RefSpec[] = [];
	for (const part of parts) {
		const colon = part.indexOf(':');
		const name = colon === -1 ? part : part.slice(0, colon);
		if (!isSafeRefName(name)) throw invalid(`"${sanitizeText(name)}" is not a usable ref name`);
		if (refs.some((ref) => ref.name === name)) throw invalid(`ref ${name} is given twice`);
		const ref: RefSpec = { name };
		if (colon !== -1) {
			const [min, max, extra] = part.slice(colon + 1).split('-');
			if (extra !== undefined || min === undefined)
				throw invalid(`"${sanitizeText(part)}" is not name:min or name:min-max`);
			ref.min_api_version = apiVersion(min);
			if (max !== undefined) ref.max_api_version = apiVersion(max);
		}
		refs.push(ref);
	}
	return refs;
}

export function apiVersion(text: string): string {
	if (!API_VERSION.test(text))
		throw invalid(`"${sanitizeText(text)}" is not an API version such as 3.0`);
	return text;
}

/** `semver`, `calver` or `regex:<pattern>` whose pattern RE2 compiles (D3). */
export function checkVersioningScheme(scheme: string): string {
	if (scheme === 'semver' || scheme === 'calver') return scheme;
	if (scheme.startsWith('regex:')) {
		try {
			compilePythonPattern(scheme.slice('regex:'.length));
		} catch (error) {
			throw invalid(
				`the pattern of ${sanitizeText(scheme, { maxLength: 80 })} cannot be used: ${sanitizeText((error as Error).message)}`,
			);
		}
		return scheme;
	}
	throw invalid(
		`"${sanitizeText(scheme, { maxLength: 80 })}" is not semver, calver or regex:<pattern>`,
	);
}

export function checkTrustLevel(level: string): RegistryTrustLevel {
	if ((REGISTRY_TRUST_LEVELS as readonly string[]).includes(level))
		return level as RegistryTrustLevel;
	throw invalid(
		`"${sanitizeText(level, { maxLength: 40 })}" is not official, trusted or community`,
	);
}

/** `a,b` as a list; empty parts dropped. */
export function parseList(text: string): string[] {
	return text
		.split(',')
		.map((part) => part.trim())
		.filter((part) => part.length > 0);
}

/** The manifest fields an entry carries, without empty lists or tables. */
export function manifestFields(manifest: ManifestFacts): TomlTable {
	const fields: TomlTable = { name: manifest.name, description: manifest.description };
	if (manifest.authors.length > 0) fields.authors = [...manifest.authors];
	if (manifest.maintainers.length > 0) fields.maintainers = [...manifest.maintainers];
	if (Object.keys(manifest.nameI18n).length > 0) fields.name_i18n = { ...manifest.nameI18n };
	if (Object.keys(manifest.descriptionI18n).length > 0) {
		fields.description_i18n = { ...manifest.descriptionI18n };
	}
	return fields;
}

export interface NewPluginInput {
	gitUrl: string;
	/** Absent: derived from the repository's name. */
	id?: string;
	manifest: ManifestFacts;
	trust: RegistryTrustLevel;
	/** Absent: the manifest's categories. */
	categories?: readonly string[];
	refs: readonly RefSpec[];
	versioningScheme?: string;
	/** `added_at` and `updated_at`. */
	at: string;
}

/** The entry, keys in the order of Picard's own registry file. */
export function newPluginEntry(input: NewPluginInput): TomlTable {
	const { manifest } = input;
	const fields = manifestFields(manifest);
	const entry: TomlTable = {
		id: input.id ?? deriveRegistryId(input.gitUrl),
		uuid: manifest.uuid,
		name: manifest.name,
		description: manifest.description,
		git_url: input.gitUrl,
		categories: [...(input.categories ?? manifest.categories)],
		trust_level: input.trust,
	};
	if (fields.authors !== undefined) entry.authors = fields.authors;
	if (fields.maintainers !== undefined) entry.maintainers = fields.maintainers;
	entry.added_at = input.at;
	entry.updated_at = input.at;
	if (input.versioningScheme !== undefined) entry.versioning_scheme = input.versioningScheme;
	const plainMain =
		input.refs.length === 1 &&
		input.refs[0]?.name === 'main' &&
		Object.keys(input.refs[0]).length === 1;
	if (input.refs.length > 0 && !plainMain) entry.refs = input.refs.map((ref) => ({ ...ref }));
	if (fields.name_i18n !== undefined) entry.name_i18n = fields.name_i18n;
	if (fields.description_i18n !== undefined) entry.description_i18n = fields.description_i18n;
	return entry;
}

export function invalid(message: string) {
	return registryError('INVALID_EDIT', `${message}.`);
}
