/**
 * `check-updates`: one `ls-remote` per installed git plugin, several at a time, no clone.
 * Blacklisted plugins are not offered updates (spec item 30): they are reported as blocked.
 * Each plugin's failure is reported on its own line; it never hides the others' results.
 */
import { isVouchError } from '../core/errors.ts';
import { sanitizeText } from '../core/sanitize.ts';
import { resolveRedirect } from '../registry/redirect.ts';
import { badgeSafeText } from '../registry/trust-display.ts';
import { schemeOf } from './checkout-choice.ts';
import type { GitPort } from './ports.ts';
import { redirectGuard } from './redirect-guard.ts';
import type { RegistrySnapshot } from './snapshot.ts';
import type { InstalledPlugin, StoreState } from './store/index.ts';
import { transportUse } from './transport.ts';
import { planUpdate, reviewed } from './update-plan.ts';
import { blacklistVerdictAt, installedAddresses } from './verdicts.ts';
import { installedVersionFacts } from './version-facts.ts';

export type UpdateCheck =
	| { uuid: string; name: string; status: 'available'; from: string; to: string; commit: string }
	| { uuid: string; name: string; status: 'up-to-date' | 'pinned' | 'skipped'; reason: string }
	| { uuid: string; name: string; status: 'blocked'; reason: string }
	| { uuid: string; name: string; status: 'failed'; code: string; reason: string };

export interface CheckUpdatesDeps {
	snapshot: RegistrySnapshot;
	git: Pick<GitPort, 'lsRemote'>;
	/** The user's --allow-insecure-transport, for redirect targets (D11, D27). */
	allowInsecureTransport?: boolean;
	/** How many `ls-remote` calls run at once. */
	concurrency: number;
	pre: boolean;
	onProgress?(done: number, total: number): void;
}

export async function checkUpdates(
	state: StoreState,
	deps: CheckUpdatesDeps,
): Promise<UpdateCheck[]> {
	const plugins = Object.values(state.plugins).sort((a, b) => a.name.localeCompare(b.name));
	const results: UpdateCheck[] = new Array(plugins.length);
	let next = 0;
	let done = 0;
	const worker = async () => {
		while (next < plugins.length) {
			const index = next++;
			results[index] = await checkOne(plugins[index] as InstalledPlugin, deps);
			deps.onProgress?.(++done, plugins.length);
		}
	};
	const workers = Math.max(1, Math.min(deps.concurrency, plugins.length));
	await Promise.all(Array.from({ length: workers }, worker));
	return results;
}

async function checkOne(plugin: InstalledPlugin, deps: CheckUpdatesDeps): Promise<UpdateCheck> {
	const base = { uuid: plugin.uuid, name: badgeSafeText(plugin.name, { maxLength: 100 }) };
	if (plugin.source.kind === 'local')
		return { ...base, status: 'skipped', reason: 'local directory' };
	if (plugin.state === 'quarantined') return { ...base, status: 'blocked', reason: 'quarantined' };
	const moved = deps.snapshot.index === undefined ? undefined : safeRedirect(deps.snapshot, plugin);
	const url = moved?.urlChanged ? moved.plugin.gitUrl : plugin.source.url;
	const uuid = moved?.uuidChanged ? moved.plugin.uuid : plugin.uuid;
	const verdict = blacklistVerdictAt(deps.snapshot, installedAddresses(plugin, url), {
		uuid,
		...installedVersionFacts(plugin, deps.snapshot.index),
	});
	if (verdict.blocked) return { ...base, status: 'blocked', reason: verdict.reason };
	if (deps.snapshot.index === undefined && plugin.source.refType === 'tag') {
		// Which tags are versions is the registry entry's versioning_scheme: without the
		// registry, a newer tag cannot be told from an unrelated one.
		return {
			...base,
			status: 'skipped',
			reason: `the registry is unavailable, so the versions after tag ${sanitizeText(plugin.source.ref ?? '')} cannot be judged`,
		};
	}
	const entry = moved?.plugin ?? deps.snapshot.index?.byUrl(url);
	const canonical = deps.snapshot.index?.canonical(url) ?? plugin.source.canonicalUrl;
	// D27: the same redirect rule as update, so what is offered is what update would fetch.
	const guard = redirectGuard({
		snapshot: deps.snapshot,
		use: transportUse({
			registered: entry !== undefined && canonical === entry.canonicalGitUrl,
			registryIsLocal: deps.snapshot.local === true,
			allowInsecureTransport: deps.allowInsecureTransport === true,
		}),
		uuid,
	});
	try {
		const listing = await deps.git.lsRemote(url, { redirectGuard: guard });
		const plan = planUpdate({
			installed: {
				refType: plugin.source.refType,
				...(plugin.source.ref === undefined ? {} : { ref: plugin.source.ref }),
				...(plugin.source.commit === undefined ? {} : { commit: plugin.source.commit }),
			},
			listing,
			scheme: schemeOf(entry),
			includePreRelease: deps.pre,
			...reviewed(entry),
		});
		switch (plan.kind) {
			case 'update':
				return {
					...base,
					status: 'available',
					from: sanitizeText(plugin.source.ref ?? plugin.source.commit?.slice(0, 7) ?? ''),
					to: sanitizeText(plan.ref ?? plan.commit.slice(0, 7)),
					commit: plan.commit,
				};
			case 'reload':
				return { ...base, status: 'skipped', reason: plan.reason };
			default:
				// A plugin the registry moved is worth an update even at the same version (D8).
				if (moved?.urlChanged) {
					return {
						...base,
						status: 'available',
						from: sanitizeText(plugin.source.url),
						to: `moved to ${sanitizeText(url)}`,
						commit: plugin.source.commit ?? '',
					};
				}
				return { ...base, status: plan.kind, reason: plan.reason };
		}
	} catch (error) {
		if (!isVouchError(error)) throw error;
		// The address now redirects to a blacklisted repository (D27): not an update to offer.
		if (error.code === 'BLACKLISTED') {
			return {
				...base,
				status: 'blocked',
				reason: sanitizeText(error.message, { maxLength: 300 }),
			};
		}
		return {
			...base,
			status: 'failed',
			code: error.code,
			reason: sanitizeText(error.message, { maxLength: 300 }),
		};
	}
}

function safeRedirect(snapshot: RegistrySnapshot, plugin: InstalledPlugin) {
	try {
		return snapshot.index === undefined
			? undefined
			: resolveRedirect(snapshot.index, { url: plugin.source.url, uuid: plugin.uuid });
	} catch {
		// A redirect chain is reported by `update`; here the plugin is checked where it is.
		return undefined;
	}
}
