/**
 * The refs block of `vouch info`: the branches and tags the plugin's remote has right now,
 * and the one `install` would choose. The remote is asked once, under a time limit; when it
 * cannot be asked (offline, refused transport, a timeout) `info` says why and shows the rest.
 */
import { isVouchError } from '@vouch/library/internal/core/errors';
import type { HostProfile } from '@vouch/library/internal/core/profile';
import { checkTransport } from '@vouch/library/internal/core/transport-policy';
import { createGit } from '@vouch/library/internal/git/index';
import { previewRefs, type RefPreview } from '@vouch/library/internal/lifecycle/ref-preview';
import type { RegistryPlugin } from '@vouch/library/internal/registry/model';
import type { CliIO } from '../io.ts';
import type { RemoteRefsJson, WouldInstallJson } from '../json/remote-refs.ts';
import type { Output } from '../output.ts';
import { safe } from '../style.ts';

/** Long enough for a slow host, short enough that `info` never seems to hang. */
export const INFO_LS_REMOTE_TIMEOUT_MS = 20_000;

/** How many names of each kind a terminal shows; `--json` has them all. */
const SHOWN = 15;

export type RemoteRefs =
	| { listed: true; preview: RefPreview }
	| {
			listed: false;
			reason: 'offline-option' | 'blacklisted' | 'not-git' | 'failed';
			cause: string;
	  };

export async function remoteRefs(
	/**
	 * The repository to ask, and the registry entry describing it, if any. `listedBy` when the
	 * URL is the one a registry lists (not an installed plugin's own source): it then meets the
	 * registry's transport rule (D11), as it would at install.
	 */
	source: {
		url: string;
		entry: RegistryPlugin | undefined;
		listedBy?: { registryIsLocal: boolean };
	},
	options: { offline: boolean; blacklisted: boolean },
	io: CliIO,
	profile: HostProfile,
): Promise<RemoteRefs> {
	if (options.offline) {
		return { listed: false, reason: 'offline-option', cause: '--offline was given' };
	}
	// No network contact with a repository the blacklist names, as at install.
	if (options.blacklisted) {
		return { listed: false, reason: 'blacklisted', cause: 'the plugin is blacklisted' };
	}
	// A registry fetched over the network may not send git to a path on this machine, nor
	// over ssh to a host of its choosing: `info` holds its URLs to install's rule.
	if (source.listedBy !== undefined) {
		const decision = checkTransport(source.url, {
			kind: 'registry-git',
			registryIsLocal: source.listedBy.registryIsLocal,
		});
		if (!decision.allowed) {
			return {
				listed: false,
				reason: 'failed',
				cause: `not asked: the registry lists ${safe(source.url, { maxLength: 200 })}, which ${
					decision.refusal === 'local-from-remote-registry'
						? 'is a path on this machine, and only a registry kept as a local file may list one (D11)'
						: 'is not an https address'
				}`,
			};
		}
	}
	// Plain http is allowed only to loopback (`src/git` decides, D11); no redirect is followed.
	const git = createGit({ env: io.env, cwd: io.cwd, networkTimeoutMs: INFO_LS_REMOTE_TIMEOUT_MS });
	try {
		const preview = await previewRefs(
			{
				url: source.url,
				entry: source.entry,
				hostApiVersions: profile.apiVersions,
				includePreRelease: false,
			},
			git,
		);
		return { listed: true, preview };
	} catch (error) {
		if (!isVouchError(error)) throw error;
		return { listed: false, reason: 'failed', cause: error.message };
	}
}

/** `remote` and `wouldInstall` of the `--json` result. */
export function remoteRefsJson(refs: RemoteRefs): {
	remote: RemoteRefsJson;
	wouldInstall: WouldInstallJson;
} {
	if (!refs.listed) {
		return {
			remote: { listed: false, reason: refs.reason, error: refs.cause },
			wouldInstall: null,
		};
	}
	const { preview } = refs;
	return {
		remote: {
			listed: true,
			head: preview.head ?? null,
			branches: preview.branches,
			tags: preview.tags,
		},
		wouldInstall:
			preview.choice === undefined
				? { ref: null, reason: preview.noChoice ?? null }
				: {
						ref: preview.choice.ref ?? preview.head ?? null,
						refType: preview.choice.refType ?? 'branch',
						reason: preview.choice.why,
					},
	};
}

/**
 * The refs lines of `info`. For an installed plugin `installedRef` is marked instead of a
 * choice: what an install would pick is not what its update or reinstall fetches.
 */
export function printRemoteRefs(output: Output, refs: RemoteRefs, installedRef?: string): void {
	if (!refs.listed) {
		if (refs.reason === 'not-git') return;
		output.line(
			refs.reason === 'offline-option'
				? '  Remote refs:  not listed (--offline)'
				: output.style.yellow(`  Remote refs:  could not list refs: ${safe(refs.cause)}`),
		);
		return;
	}
	const { preview } = refs;
	const chosen = preview.choice?.ref ?? preview.head;
	const [marked, label] =
		installedRef === undefined ? [chosen, 'would install'] : [installedRef, 'installed'];
	const mark = (name: string) =>
		name === marked ? `${output.style.bold(safe(name))} (${label})` : safe(name);
	output.line(`  Branches:     ${listed(preview.branches, mark)}`);
	output.line(`  Tags:         ${listed(preview.tags, mark)}`);
	if (installedRef !== undefined) return;
	if (preview.choice === undefined) {
		output.line(
			output.style.yellow(
				`  Installs:     nothing: ${safe(preview.noChoice ?? 'no ref could be chosen')}`,
			),
		);
		return;
	}
	const type = preview.choice.refType ?? 'branch';
	output.line(
		`  Installs:     ${type} ${output.style.bold(safe(chosen ?? 'the default branch'))} (${safe(preview.choice.why)}; its manifest must support this host)`,
	);
}

function listed(names: string[], show: (name: string) => string): string {
	if (names.length === 0) return '(none)';
	const more = names.length > SHOWN ? `, … ${names.length - SHOWN} more` : '';
	return `${names.slice(0, SHOWN).map(show).join(', ')}${more}`;
}
