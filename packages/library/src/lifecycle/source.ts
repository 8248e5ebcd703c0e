/**
 * Step 1 of install: what does the user's target name, and where will the code come from?
 *
 * - A registry id or UUID names a registry entry; the code comes from its current `git_url`.
 * - A URL is looked up in the registry. An old URL (`redirect_from`) installs from the entry's
 *   current URL: trust never follows an old address (D6), and an old URL that was later
 *   blacklisted cannot block the plugin's safe new home (spec item 28).
 * - A local directory with a `.git` is cloned like any repository; one without is registered
 *   in place and never copied (spec §5.10).
 *
 * Bare words are registry ids; a directory must be written as a path (`./name`), so an id can
 * never be shadowed by a folder that happens to share its name.
 */
import {
	type CanonicalUrlContext,
	canonicalUrl,
	pickUrlContext,
	sourceKind,
	tryCanonicalUrl,
} from '../core/canonical-url.ts';
import { sanitizeText } from '../core/sanitize.ts';
import { closestNames, didYouMean } from '../core/suggest.ts';
import { parseUuidArgument } from '../core/uuid.ts';
import { lookupKind, type MatchedBy, type RegistryIndex } from '../registry/index.ts';
import type { RegistryPlugin } from '../registry/model.ts';
import { lifecycleError } from './errors.ts';

export interface InstallSource {
	/** `git`: cloned. `local`: a directory without git, registered where it is. */
	kind: 'git' | 'local';
	/** What git clones, or the directory, as the user or the registry wrote it. */
	url: string;
	canonical: string;
	/** The registry entry the target resolved to, if any. */
	entry?: RegistryPlugin;
	matchedBy?: MatchedBy;
	/** The old URL the user gave, when the registry says the plugin has moved. */
	redirectedFrom?: string;
	/**
	 * The real path of the directory typed, when `url` is the repository its `.git` leads to:
	 * an entry naming the directory still blocks it.
	 */
	typedPath?: string;
}

export interface SourceContext {
	/** Undefined when no registry could be read: then only URLs and paths can be installed. */
	index: RegistryIndex | undefined;
	cwd: string;
	home: string;
	/** The profile's hosts with case-insensitive repository paths (D2). */
	caseInsensitivePathHosts?: readonly string[];
	/** 'git' for a directory holding a repository, 'plain' for any other directory. */
	inspectDirectory(path: string): Promise<'git' | 'plain' | 'missing'>;
	/** The path with every symlink resolved; the path itself when it does not exist. */
	realPath(path: string): Promise<string>;
	/**
	 * The repository git reads when cloning the working copy at a path (its `.git` followed
	 * through a link or gitfile); undefined when there is none.
	 */
	repositoryDir(path: string): Promise<string | undefined>;
}

export async function resolveInstallSource(
	target: string,
	context: SourceContext,
): Promise<InstallSource> {
	const text = target.trim();
	const shown = sanitizeText(text, { maxLength: 200 });
	if (text.length === 0) {
		throw lifecycleError('SOURCE_NOT_FOUND', 'Nothing to install was named.', {
			hint: 'Give a registry id, a git URL or a directory.',
		});
	}
	const urlContext = pickUrlContext(context);
	const kind = lookupKind(text);
	if (kind !== 'url') {
		// A UUID in another spelling is a usage error, registry or not.
		if (kind === 'uuid') parseUuidArgument(text);
		const match = context.index?.lookup(text);
		if (match === undefined) {
			const suggestions =
				kind === 'id' && context.index !== undefined
					? closestNames(
							text,
							context.index.registry.plugins.map((plugin) => plugin.id),
						)
					: [];
			const suggestion = didYouMean(suggestions);
			throw lifecycleError(
				'SOURCE_NOT_FOUND',
				context.index === undefined
					? `No registry is available to look up ${shown}.`
					: `The registry has no plugin ${shown}.`,
				{
					// Without a registry, searching it cannot help: say what can.
					hint:
						context.index === undefined
							? 'The registry could not be loaded (see the warning above): run `vouch refresh` once it is reachable, or install by git URL or ./path.'
							: kind === 'id'
								? `${suggestion === undefined ? '' : `${suggestion} `}Find plugins with \`vouch search <text>\`. A local directory must be written as a path, e.g. ./name.`
								: 'Run `vouch refresh`, or install by URL.',
					details: { query: text, suggestions },
				},
			);
		}
		return fromEntry(match.plugin, match.matchedBy, urlContext);
	}

	const canonical = tryCanonicalUrl(text, urlContext);
	const address = await knownAddress(text, {
		...urlContext,
		realPath: context.realPath,
		repositoryDir: context.repositoryDir,
	});
	if (canonical === undefined || address === undefined) {
		throw lifecycleError('SOURCE_NOT_FOUND', `${shown} is not a URL or path Vouch can use.`, {
			hint: 'Give an https or ssh git URL, or a local directory.',
		});
	}
	const local = sourceKind(text) === 'local';
	const current = context.index?.byUrl(address);
	if (current !== undefined) return { ...fromEntry(current, 'url', urlContext), url: address };
	const moved = context.index?.byRedirectUrl(address);
	if (moved !== undefined) {
		return { ...fromEntry(moved, 'redirect_url', urlContext), redirectedFrom: address };
	}
	if (local) {
		// The directory typed is what is inspected: the address may be the repository its `.git`
		// points to, which has no `.git` of its own.
		const typed = await context.realPath(canonical);
		const state = await context.inspectDirectory(typed);
		if (state === 'missing') {
			throw lifecycleError('SOURCE_NOT_FOUND', `There is no directory at ${shown}.`, {
				hint: 'Check the path, or give a git URL.',
			});
		}
		return {
			kind: state === 'git' ? 'git' : 'local',
			url: address,
			canonical: address,
			...(typed === address ? {} : { typedPath: typed }),
		};
	}
	return { kind: 'git', url: text, canonical };
}

/** What `knownAddress` needs: where relative paths start, the disk's symlinks, and git. */
export type AddressContext = CanonicalUrlContext &
	Pick<SourceContext, 'realPath' | 'repositoryDir'>;

/**
 * D11: the address a URL or path the user typed is known by, before the registry, the
 * blacklist or the install record see it: a local path is the real path of the repository git
 * clones from it, so neither a symlink (or a symlinked parent) nor a `.git` that is a link or a
 * gitfile pointing elsewhere can give a blacklisted repository a second name; any other address
 * is kept as written. Undefined for text that is no URL or path at all. Install and `info` both
 * ask here, so what one refuses the other shows as blocked.
 */
export async function knownAddress(
	text: string,
	context: AddressContext,
): Promise<string | undefined> {
	const trimmed = text.trim();
	const canonical = tryCanonicalUrl(trimmed, context);
	if (canonical === undefined) return undefined;
	if (sourceKind(trimmed) !== 'local') return trimmed;
	const real = await context.realPath(canonical);
	const repository = await context.repositoryDir(real);
	if (repository === undefined) return real;
	// A working copy's own `.git` canonicalises back to the working copy, its usual name; a
	// `.git` that leads elsewhere gives the repository it leads to.
	return tryCanonicalUrl(await context.realPath(repository), context) ?? real;
}

function fromEntry(
	plugin: RegistryPlugin,
	matchedBy: MatchedBy,
	context: CanonicalUrlContext,
): InstallSource {
	return {
		kind: 'git',
		url: plugin.gitUrl,
		canonical: canonicalUrl(plugin.gitUrl, context),
		entry: plugin,
		matchedBy,
	};
}
