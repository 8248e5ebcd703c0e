/**
 * `update` and `switch-ref` for one plugin. The new version is fetched into staging, checked
 * like a fresh install (manifest, UUID change D7, blacklist D8/D10, API, pins, new
 * capabilities D20), and only then swapped in atomically; any failure or refusal keeps the
 * installed version exactly as it was.
 */
import { apiVersionsIntersect } from '../core/api-version.ts';
import { sanitizeText } from '../core/sanitize.ts';
import { assertUuidChangeAllowed, resolveRedirect } from '../registry/redirect.ts';
import { resolveTrust } from '../registry/trust.ts';
import { addedCapabilities } from './capability-change.ts';
import { refCandidates, schemeOf } from './checkout-choice.ts';
import { obtainUpdateConsent } from './consent.ts';
import { assertSelfContained } from './content-check.ts';
import type { PluginWorkDeps } from './deps.ts';
import { startScan } from './early-scan.ts';
import { lifecycleError } from './errors.ts';
import { fetchCompatible } from './fetch-candidate.ts';
import { findInstalled } from './installed.ts';
import { confirmDiscardingLocalChanges } from './local-changes.ts';
import { localOrigins } from './local-origin.ts';
import { acceptedCapabilities, authorField, releaseField, storedUrl } from './record.ts';
import { redirectGuard } from './redirect-guard.ts';
import { registryScanNotice } from './registry-scan.ts';
import { reloadLocal } from './reload-local.ts';
import { keepScanReport, scanSummaryOf } from './scan-record.ts';
import { assertBlacklistUsable } from './snapshot.ts';
import type { InstalledPlugin } from './store/index.ts';
import { assertTransportAllowed, transportUse } from './transport.ts';
import { planUpdate, reviewed } from './update-plan.ts';
import { blacklistVerdictAt, refuseIfBlocked, trustNotices } from './verdicts.ts';
import { versionFacts } from './version-facts.ts';
import { vetRelease } from './vet-release.ts';

export interface UpdateOptions {
	/** switch-ref: the ref to move to; update: undefined (follow the installed ref). */
	ref?: string;
	pre: boolean;
	yes: boolean;
	/** New capabilities may be granted without a terminal (the user read them in advance). */
	grantCapabilities: boolean;
	allowInsecureTransport: boolean;
	allowStaleBlacklist: boolean;
	/** Accept high-severity scan findings without a prompt (D21). */
	acceptFindings?: boolean;
	/** Go on despite a possible impersonation without a prompt (D12); `yes` never does. */
	acceptImpersonation?: boolean;
}

export type UpdateDeps = PluginWorkDeps;

export type UpdateOutcome =
	| { status: 'updated'; plugin: InstalledPlugin; from: string; to: string }
	| { status: 'up-to-date' | 'pinned' | 'reloaded'; plugin: InstalledPlugin; reason: string };

export async function updatePlugin(
	target: string,
	options: UpdateOptions,
	deps: UpdateDeps,
): Promise<UpdateOutcome> {
	const installed = findInstalled(await deps.store.read(), target, {
		...deps,
		index: deps.snapshot.index,
	});
	const name = sanitizeText(installed.name);
	if (installed.state === 'quarantined') {
		throw lifecycleError('BLACKLISTED', `${name} is quarantined and cannot be updated.`);
	}
	if (installed.source.kind === 'local') {
		if (options.ref !== undefined) {
			throw lifecycleError('NOT_SUPPORTED', `${name} is a local directory, not managed by git.`);
		}
		return reloadLocal(installed, deps);
	}
	assertBlacklistUsable({
		snapshot: deps.snapshot,
		allowStaleBlacklist: options.allowStaleBlacklist,
		action: options.ref === undefined ? 'update' : 'switch ref',
		reporter: deps.reporter,
	});

	// D8: redirects first, then the blacklist, with the resolved URL and UUID.
	const moved =
		deps.snapshot.index === undefined
			? undefined
			: resolveRedirect(deps.snapshot.index, { url: installed.source.url, uuid: installed.uuid });
	const url = moved?.urlChanged ? moved.plugin.gitUrl : installed.source.url;
	const entry = moved?.plugin ?? deps.snapshot.index?.byUrl(url);
	if (moved !== undefined) {
		deps.reporter.info(
			`${name} has moved to ${sanitizeText(moved.plugin.gitUrl)} in the registry.`,
		);
	}
	const canonical = deps.snapshot.index?.canonical(url) ?? installed.source.canonicalUrl;
	const policy = {
		registered: entry !== undefined && canonical === entry.canonicalGitUrl,
		registryIsLocal: deps.snapshot.local === true,
		allowInsecureTransport: options.allowInsecureTransport,
	};
	assertTransportAllowed({ canonical, ...policy });
	const expectedUuid = moved?.uuidChanged ? moved.plugin.uuid : installed.uuid;
	// A local clone also answers for the address it was cloned from (D27).
	const chain = await localOrigins(url, deps.git, deps.realPath);
	const origins = chain.addresses;
	refuseIfBlocked({
		verdict: blacklistVerdictAt(deps.snapshot, [url, ...origins], { uuid: expectedUuid }, 'skip'),
		name: installed.name,
		force: false,
		reporter: deps.reporter,
	});
	// D27: a redirect is followed only to an address the transport rule and blacklist clear.
	const guard = redirectGuard({
		snapshot: deps.snapshot,
		use: transportUse(policy),
		uuid: expectedUuid,
		reporter: deps.reporter,
	});

	deps.reporter.progress(`Checking ${name} for updates`);
	const listing = await deps.git.lsRemote(url, { redirectGuard: guard });
	let candidates: ReturnType<typeof refCandidates>;
	if (options.ref === undefined) {
		const plan = planUpdate({
			installed: {
				refType: installed.source.refType,
				...(installed.source.ref === undefined ? {} : { ref: installed.source.ref }),
				...(installed.source.commit === undefined ? {} : { commit: installed.source.commit }),
			},
			listing,
			scheme: schemeOf(entry),
			includePreRelease: options.pre,
			...reviewed(entry),
		});
		if (plan.kind === 'pinned' || plan.kind === 'up-to-date') {
			if (!moved?.urlChanged) return { status: plan.kind, plugin: installed, reason: plan.reason };
			// The plugin moved: fetch the same ref from its new home even without a newer version.
			candidates = [{ ...refOf(installed), why: 'moved' }];
		} else if (plan.kind === 'reload') {
			return reloadLocal(installed, deps);
		} else {
			candidates = [
				{
					...(plan.ref === undefined ? {} : { ref: plan.ref }),
					refType: plan.refType,
					why: plan.reason,
				},
			];
		}
	} else {
		candidates = refCandidates({
			requestedRef: options.ref,
			listing,
			...(entry === undefined ? {} : { entry }),
			hostApiVersions: deps.hostApiVersions,
			includePreRelease: options.pre,
		});
	}

	await confirmDiscardingLocalChanges(installed, { action: 'this', yesDiscards: false }, deps);
	const fetched = await fetchCompatible(
		{
			url,
			redirectGuard: guard,
			candidates,
			hostApiVersions: deps.hostApiVersions,
			categories: deps.categories,
		},
		{
			git: deps.git,
			staging: {
				create: () => deps.files.createStaging(),
				remove: (path) => deps.files.removeStaging(path),
			},
			readManifest: deps.readManifest,
			reporter: deps.reporter,
		},
	);
	let placed = false;
	// D21: the scan runs beside the checks below, on the digest's reads; reviewed after them.
	const scanning = startScan(fetched, deps);
	try {
		const { manifest } = fetched;
		await assertSelfContained(fetched.dir);
		// D7: the UUID may change only along a move the registry declares for this source.
		assertUuidChangeAllowed(deps.snapshot.index, {
			installedUuid: installed.uuid,
			newUuid: manifest.uuid,
			sourceUrl: installed.source.url,
		});
		refuseIfBlocked({
			verdict: blacklistVerdictAt(deps.snapshot, [url, fetched.fetchedFrom, ...origins], {
				uuid: manifest.uuid,
				...versionFacts(manifest.version, fetched.candidate, entry),
				...(fetched.commit === '' ? {} : { commit: fetched.commit }),
			}),
			name: manifest.name,
			force: false,
			reporter: deps.reporter,
		});
		if (!apiVersionsIntersect(manifest.api, deps.hostApiVersions)) {
			throw lifecycleError(
				'INCOMPATIBLE_API',
				`The new version of ${name} does not support this host.`,
			);
		}
		const trust = resolveTrust(deps.snapshot.index, { url, uuid: manifest.uuid });
		const digest = await deps.digest(fetched.dir, scanning.files);
		// D19b pins and author signatures, then D21, all before anyone is asked.
		const { release, author, scan, notices } = await vetRelease(
			{ fetched, digest, trust, entry, local: false, scan: scanning.outcome },
			deps,
		);
		// D20, D21 and a possible impersonation (D12): shown together, then asked in that order.
		const registryScan = await registryScanNotice(deps.snapshot, trust, fetched.commit);
		await obtainUpdateConsent(
			{
				pluginName: manifest.name,
				trust,
				notices: [...trustNotices(trust), ...notices],
				scan,
				reportHint: `vouch scan ${sanitizeText(url, { maxLength: 200 })}`,
				...(registryScan === undefined ? {} : { registryScan }),
				added: addedCapabilities(installed.capabilities, manifest.capabilities),
				action: options.ref === undefined ? 'update' : 'switch',
				acceptFindings: options.acceptFindings === true,
				acceptImpersonation: options.acceptImpersonation === true,
				grantCapabilities: options.grantCapabilities,
			},
			deps,
		);

		const from = describeVersion(installed);
		return await deps.store.transaction(async (state, tx) => {
			const current = state.plugins[installed.uuid];
			if (current === undefined)
				throw lifecycleError('NOT_INSTALLED', `${name} was uninstalled meanwhile.`);
			const urlChanged = moved?.urlChanged === true;
			const record: InstalledPlugin = {
				...current,
				uuid: manifest.uuid,
				name: manifest.name,
				source: {
					kind: 'git',
					url: storedUrl(url),
					canonicalUrl: canonical,
					...(fetched.fetchedFrom === undefined
						? {}
						: { fetchedUrl: storedUrl(fetched.fetchedFrom) }),
					refType: fetched.candidate.refType ?? 'branch',
					...(fetched.candidate.ref === undefined ? {} : { ref: fetched.candidate.ref }),
					commit: fetched.commit,
				},
				...(entry === undefined ? {} : { registryId: entry.id }),
				apiVersions: [...manifest.api],
				capabilities: acceptedCapabilities(manifest),
				files: digest.files,
				treeDigest: digest.treeDigest,
				updatedAt: deps.now().toISOString(),
			};
			delete record.release;
			Object.assign(record, releaseField(release));
			delete record.authorSignature;
			Object.assign(record, authorField(author));
			record.scan = scanSummaryOf(scan, deps.now());
			tx.afterCommit(() => keepScanReport(deps, record, scan));
			// The earliest originals survive chained redirects (spec item 50).
			if (urlChanged && current.originalUrl === undefined) record.originalUrl = current.source.url;
			if (manifest.uuid !== current.uuid && current.originalUuid === undefined) {
				record.originalUuid = current.uuid;
			}
			// D27: the copy's origin as it is now, so later checks see where it really came from.
			if (chain.origin === undefined) delete record.originUrl;
			else record.originUrl = storedUrl(chain.origin);
			if (chain.fetchedOrigin === undefined) delete record.originFetchUrl;
			else record.originFetchUrl = storedUrl(chain.fetchedOrigin);
			if (manifest.version === undefined) delete record.version;
			else record.version = manifest.version;
			const wasEnabled = state.enabled.includes(current.uuid);
			if (record.uuid !== current.uuid) {
				delete state.plugins[current.uuid];
				state.enabled = state.enabled.filter((uuid) => uuid !== current.uuid);
			}
			await deps.files.place(state, tx, {
				staged: fetched.dir,
				record,
				enabled: wasEnabled,
				...(record.uuid === current.uuid ? {} : { replaces: current.uuid }),
			});
			placed = true;
			state.plugins[record.uuid] = record;
			if (wasEnabled && !state.enabled.includes(record.uuid)) state.enabled.push(record.uuid);
			return { status: 'updated' as const, plugin: record, from, to: describeVersion(record) };
		});
	} finally {
		await scanning.settle();
		if (!placed) await deps.files.removeStaging(fetched.dir);
	}
}

function refOf(plugin: InstalledPlugin): { ref?: string; refType?: 'branch' | 'tag' | 'commit' } {
	const type = plugin.source.refType;
	const refType = type === 'local' ? undefined : type;
	const ref = type === 'commit' ? plugin.source.commit : plugin.source.ref;
	return { ...(ref === undefined ? {} : { ref }), ...(refType === undefined ? {} : { refType }) };
}

/** `v1.2.0 @abc1234`, `main @abc1234`, or `@abc1234`. */
export function describeVersion(plugin: InstalledPlugin): string {
	const commit = plugin.source.commit === undefined ? '' : `@${plugin.source.commit.slice(0, 7)}`;
	const ref = plugin.source.refType === 'commit' ? '' : (plugin.source.ref ?? '');
	return sanitizeText([ref, commit].filter((part) => part !== '').join(' ') || 'local');
}
