/**
 * Host profiles: which application Vouch serves (its API versions, registries, TUF root,
 * directories and policies). `picard` is built in; any other host brings a TOML file.
 */
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse as parseToml, TomlError } from 'smol-toml';
import type * as z from 'zod';
import { readFileBoundedSync } from './atomic-fs.ts';
import { DEFAULT_CASE_INSENSITIVE_PATH_HOSTS } from './canonical-url.ts';
import { coreError, isVouchError } from './errors.ts';
import { xdgPaths } from './paths.ts';
import {
	DEFAULT_CATEGORIES,
	DEFAULT_MAX_STALENESS_DAYS,
	DEFAULT_REFRESH_INTERVAL_HOURS,
	type PluginLanguage,
	type ProfileDocument,
	profileDocumentSchema,
} from './profile-schema.ts';
import { sanitizeText } from './sanitize.ts';
import { checkTransport } from './transport-policy.ts';

export interface HostProfile {
	name: string;
	apiVersions: string[];
	/** Tried in order; `VOUCH_REGISTRY_URL` is put in front. */
	registryUrls: string[];
	/** Absolute path of the TUF root metadata the host ships. */
	trustedRoot?: string;
	allowUnsigned: boolean;
	categories: string[];
	maxStalenessDays: number;
	refreshIntervalHours: number;
	/**
	 * Hosts whose repository paths are compared without case (D2), added to the big forges,
	 * which always fold: an empty list or one without them leaves them case-insensitive.
	 */
	caseInsensitivePathHosts: readonly string[];
	/** What the host's plugins are written in; absent means Python, as in Picard. */
	pluginLanguage?: PluginLanguage;
	pluginsDir: string;
	dataDir: string;
	cacheDir: string;
	configDir: string;
	/** `builtin`, or the absolute path of the profile file. */
	source: 'builtin' | string;
}

export interface ProfileEnvironment {
	env: NodeJS.ProcessEnv;
	/** Base for a relative profile path. */
	cwd: string;
	home: string;
}

export interface ResolveProfileOptions extends ProfileEnvironment {
	/** The `--profile` value: a built-in name or a path to a profile file. */
	nameOrFile?: string;
}

export const PICARD_REGISTRY_URLS: readonly string[] = [
	'https://raw.githubusercontent.com/metabrainz/picard-plugins-registry/refs/heads/main/plugins.toml',
	'https://picard.musicbrainz.org/api/v3/registry/plugins.toml',
];

export const BUILTIN_PROFILE_NAMES = ['picard'] as const;
export type BuiltinProfileName = (typeof BUILTIN_PROFILE_NAMES)[number];

export const MAX_PROFILE_BYTES = 64 * 1024;
const MAX_TOML_DEPTH = 8;

export function isBuiltinProfileName(value: string): value is BuiltinProfileName {
	return (BUILTIN_PROFILE_NAMES as readonly string[]).includes(value);
}

/** The built-in `picard` profile: Picard's API, registries and categories, unsigned TOML allowed. */
export function builtinProfile(
	name: BuiltinProfileName,
	environment: Pick<ProfileEnvironment, 'env' | 'home'>,
): HostProfile {
	const dirs = defaultDirectories(name, environment);
	return {
		name,
		apiVersions: ['3.0'],
		registryUrls: withEnvironmentRegistry([...PICARD_REGISTRY_URLS], environment.env),
		allowUnsigned: true,
		categories: [...DEFAULT_CATEGORIES],
		maxStalenessDays: DEFAULT_MAX_STALENESS_DAYS,
		refreshIntervalHours: DEFAULT_REFRESH_INTERVAL_HOURS,
		caseInsensitivePathHosts: DEFAULT_CASE_INSENSITIVE_PATH_HOSTS,
		pluginLanguage: 'python',
		...dirs,
		source: 'builtin',
	};
}

/**
 * The profile to use: the explicit `--profile` value, else `VOUCH_PROFILE`, else `picard`.
 * A built-in name gives that profile; anything else is the path of a profile file.
 */
export function resolveProfile(options: ResolveProfileOptions): HostProfile {
	const chosen = [options.nameOrFile, options.env.VOUCH_PROFILE]
		.map((value) => value?.trim())
		.find((value): value is string => value !== undefined && value.length > 0);
	const value = chosen ?? 'picard';
	if (isBuiltinProfileName(value)) return builtinProfile(value, options);
	return loadProfileFile(expandHome(value, options.home, options.cwd), options);
}

/** Reads and validates a profile file; paths inside it are relative to the file. */
export function loadProfileFile(path: string, environment: ProfileEnvironment): HostProfile {
	const file = resolve(environment.cwd, path);
	let text: string;
	try {
		const bytes = readFileBoundedSync(file, MAX_PROFILE_BYTES);
		text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch (error) {
		throw unreadableProfile(error, file);
	}
	let data: unknown;
	try {
		data = parseToml(text, { maxDepth: MAX_TOML_DEPTH });
	} catch (error) {
		if (!(error instanceof TomlError)) throw error;
		const firstLine = sanitizeText(error.message.split('\n')[0] ?? '', { maxLength: 200 });
		throw coreError(
			'INVALID_PROFILE',
			`${sanitizeText(file)}:${error.line}:${error.column}: not valid TOML (${firstLine}).`,
			{
				hint: 'Fix the TOML syntax at that line.',
				cause: error,
				details: profileDetails(file, { line: error.line, column: error.column }),
			},
		);
	}
	return profileFromDocument(data, { ...environment, baseDir: dirname(file), source: file });
}

export interface ProfileDocumentContext extends Pick<ProfileEnvironment, 'env' | 'home'> {
	/** Base for the relative paths inside the document. */
	baseDir: string;
	/** Where the document came from, for messages and `HostProfile.source`. */
	source: string;
}

/** Validates a profile document (the parsed TOML, or an object a host passes in). */
export function profileFromDocument(data: unknown, context: ProfileDocumentContext): HostProfile {
	const parsed = profileDocumentSchema.safeParse(data);
	if (!parsed.success) throw invalidDocument(parsed.error, context.source);
	const doc: ProfileDocument = parsed.data;
	const at = (value: string) => expandHome(value, context.home, context.baseDir);
	const defaults = defaultDirectories(doc.name, context);
	const dataDir = doc.data_dir === undefined ? defaults.dataDir : at(doc.data_dir);
	const registryUrls = doc.registry_urls.map((url) => profileRegistryUrl(url, context));
	if (!doc.allow_unsigned && doc.trusted_root === undefined) {
		throw coreError(
			'INVALID_PROFILE',
			`${sanitizeText(context.source)}: allow_unsigned is false but no trusted_root is set, so no registry could ever be verified.`,
			{
				hint: 'Set trusted_root to the TUF root metadata the host ships, or allow_unsigned = true.',
				details: profileDetails(context.source),
			},
		);
	}
	return {
		name: doc.name,
		apiVersions: [...doc.api_versions],
		registryUrls: withEnvironmentRegistry(registryUrls, context.env),
		...(doc.trusted_root === undefined ? {} : { trustedRoot: at(doc.trusted_root) }),
		allowUnsigned: doc.allow_unsigned,
		categories: [...doc.categories],
		maxStalenessDays: doc.max_staleness_days,
		refreshIntervalHours: doc.refresh_interval_hours,
		caseInsensitivePathHosts: [...doc.case_insensitive_path_hosts],
		pluginLanguage: doc.plugin_language,
		dataDir,
		pluginsDir: doc.plugins_dir === undefined ? join(dataDir, 'plugins') : at(doc.plugins_dir),
		cacheDir: doc.cache_dir === undefined ? defaults.cacheDir : at(doc.cache_dir),
		configDir: doc.config_dir === undefined ? defaults.configDir : at(doc.config_dir),
		source: context.source,
	};
}

function defaultDirectories(
	name: string,
	environment: Pick<ProfileEnvironment, 'env' | 'home'>,
): Pick<HostProfile, 'dataDir' | 'cacheDir' | 'configDir' | 'pluginsDir'> {
	const xdg = xdgPaths('vouch', environment.env, environment.home);
	const dataDir = join(xdg.data, name);
	return {
		dataDir,
		pluginsDir: join(dataDir, 'plugins'),
		cacheDir: join(xdg.cache, name),
		configDir: join(xdg.config, name),
	};
}

/** `VOUCH_REGISTRY_URL` is tried first, then the profile's own list (architecture.md). */
function withEnvironmentRegistry(urls: string[], env: NodeJS.ProcessEnv): string[] {
	const fromEnv = env.VOUCH_REGISTRY_URL?.trim();
	if (fromEnv === undefined || fromEnv.length === 0) return urls;
	return [fromEnv, ...urls.filter((url) => url !== fromEnv)];
}

function expandHome(path: string, home: string, base: string): string {
	const expanded = path === '~' ? home : path.startsWith('~/') ? join(home, path.slice(2)) : path;
	return isAbsolute(expanded) ? resolve(expanded) : resolve(base, expanded);
}

/**
 * https, `file://` and local paths (relative to the profile) are accepted. Plain http only for
 * loopback (a local test registry): elsewhere anyone on the path could rewrite the registry,
 * blacklist included (D11). Any other scheme is refused.
 */
function profileRegistryUrl(url: string, context: ProfileDocumentContext): string {
	if (!/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(url))
		return expandHome(url, context.home, context.baseDir);
	if (checkTransport(url, { kind: 'registry-source' }).allowed) return url;
	throw coreError(
		'INVALID_PROFILE',
		`${sanitizeText(context.source)}: registry URL ${sanitizeText(url)} is not allowed.`,
		{
			hint: 'Use https:// (plain http only for this machine: 127.0.0.1, localhost or [::1]), file:// or a local path.',
			details: profileDetails(context.source),
		},
	);
}

function unreadableProfile(error: unknown, file: string): Error {
	const code = isVouchError(error) ? error.code : undefined;
	if (code === 'FILE_NOT_FOUND') {
		return coreError(
			'INVALID_PROFILE',
			`There is no built-in profile or profile file called ${sanitizeText(file)}.`,
			{
				hint: `Built-in profiles: ${BUILTIN_PROFILE_NAMES.join(', ')}. Otherwise pass the path of a profile TOML file.`,
				cause: error,
				details: { ...profileDetails(file), builtins: [...BUILTIN_PROFILE_NAMES] },
			},
		);
	}
	const reason = error instanceof Error ? error.message : String(error);
	return coreError('INVALID_PROFILE', `Cannot read the profile: ${sanitizeText(reason)}`, {
		hint:
			code === 'FILE_TOO_LARGE'
				? `A profile file is at most ${MAX_PROFILE_BYTES} bytes.`
				: 'Check that the profile is a readable UTF-8 text file.',
		cause: error,
		details: profileDetails(file),
	});
}

function invalidDocument(error: z.ZodError, source: string): Error {
	const issues = error.issues.slice(0, 20).map((issue) => ({
		path: issue.path.map(String).join('.'),
		message: sanitizeText(issue.message, { maxLength: 200 }),
	}));
	const summary = issues
		.map(
			(issue) =>
				`${sanitizeText(issue.path || '(top level)', { maxLength: 80 })}: ${issue.message}`,
		)
		.join('; ');
	return coreError(
		'INVALID_PROFILE',
		`${sanitizeText(source)} is not a valid profile: ${summary}`,
		{
			hint: 'Keys: name, api_versions, registry_urls, trusted_root, allow_unsigned, categories, max_staleness_days, refresh_interval_hours, case_insensitive_path_hosts, plugins_dir, data_dir, cache_dir, config_dir.',
			details: { ...profileDetails(source), issues },
		},
	);
}

function profileDetails(
	file: string,
	extra: Record<string, unknown> = {},
): Record<string, unknown> {
	return { file, ...extra };
}
