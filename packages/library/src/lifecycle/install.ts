/**
 * `install`: the steps of the issue, in order, each able to stop the install with nothing
 * left behind. Everything is fetched into a staging directory first; the plugins directory and
 * the store change only at the end, under the store lock, in one atomic step each.
 */
import { pickUrlContext, sameUrl, sourceKind } from '../core/canonical-url.ts';
import { pluginDirectoryName } from '../core/paths.ts';
import { sanitizeText } from '../core/sanitize.ts';
import type { Manifest } from '../manifest/index.ts';
import { resolveTrust, type TrustResult } from '../registry/trust.ts';
import { alreadyInstalled } from './already-installed.ts';
import { obtainConsent } from './consent.ts';
import { assertSelfContained } from './content-check.ts';
import type { PluginWorkDeps } from './deps.ts';
import { startScan } from './early-scan.ts';
import { lifecycleError } from './errors.ts';
import { fetchInstallSource } from './install-fetch.ts';
import { addressOf, entryOfLocalCopy } from './installed.ts';
import { confirmDiscardingLocalChanges } from './local-changes.ts';
import { localOrigins } from './local-origin.ts';
import { buildRecord } from './record.ts';
import { redirectGuard } from './redirect-guard.ts';
import { registryScanNotice } from './registry-scan.ts';
import { keepScanReport, scanSummaryOf } from './scan-record.ts';
import { assertBlacklistUsable } from './snapshot.ts';
import { type InstallSource, resolveInstallSource } from './source.ts';
import type { InstalledPlugin } from './store/index.ts';
import { assertTransportAllowed, transportUse } from './transport.ts';
import { blacklistVerdictAt, refuseIfBlocked, trustNotices } from './verdicts.ts';
import { versionFacts } from './version-facts.ts';
import { vetRelease } from './vet-release.ts';

export interface InstallOptions {
	target: string;
	ref?: string;
	pre: boolean;
	reinstall: boolean;
	forceBlacklisted: boolean;
	allowInsecureTransport: boolean;
	allowStaleBlacklist: boolean;
	yes: boolean;
	enable: boolean;
	/** Accept high-severity scan findings without a prompt (D21); `yes` never does. */
	acceptFindings?: boolean;
	/** Go on despite a possible impersonation without a prompt (D12); `yes` never does. */
	acceptImpersonation?: boolean;
}

export interface InstallDeps extends PluginWorkDeps {
	inspectDirectory(path: string): Promise<'git' | 'plain' | 'missing'>;
}

export interface InstallResult {
	plugin: InstalledPlugin;
	enabled: boolean;
	reinstalled: boolean;
	trust: TrustResult;
}

export async function installPlugin(
	options: InstallOptions,
	deps: InstallDeps,
): Promise<InstallResult> {
	// 1. What is being installed, and from where.
	const urlContext = pickUrlContext(deps);
	const source = await resolveInstallSource(options.target, {
		index: deps.snapshot.index,
		...urlContext,
		cwd: deps.cwd,
		home: deps.home,
		inspectDirectory: deps.inspectDirectory,
		realPath: deps.realPath,
		repositoryDir: (path) => deps.git.repositoryDir(path),
	});
	if (source.redirectedFrom !== undefined) {
		deps.reporter.info(
			`${sanitizeText(source.redirectedFrom)} has moved; installing from ${sanitizeText(source.url)}.`,
		);
	}
	const policy = {
		registered: source.entry !== undefined,
		registryIsLocal: deps.snapshot.local === true,
		allowInsecureTransport: options.allowInsecureTransport,
	};
	const transport =
		source.kind === 'local'
			? 'local'
			: assertTransportAllowed({ canonical: source.canonical, ...policy });
	// D1: a remote plugin needs a blacklist Vouch can rely on.
	if (transport !== 'local') {
		assertBlacklistUsable({
			snapshot: deps.snapshot,
			allowStaleBlacklist: options.allowStaleBlacklist,
			action: 'install',
			reporter: deps.reporter,
		});
	} else if (deps.snapshot.blacklist === undefined) {
		deps.reporter.warn('No blacklist is available: this local plugin is installed unchecked.');
	}

	// 2. The blacklist by URL (and the registry's UUID), before any network access. A local
	// clone also answers for the address it was cloned from (D27).
	// A copy of a copy answers for every address up its chain; the furthest is recorded.
	const chain =
		source.kind === 'git'
			? await localOrigins(source.url, deps.git, deps.realPath)
			: { addresses: [] };
	const origins = chain.addresses;
	const origin = chain.origin;
	const expectedUuid = source.entry === undefined ? {} : { uuid: source.entry.uuid };
	const beforeClone = blacklistVerdictAt(
		deps.snapshot,
		[source.url, source.typedPath, ...origins],
		expectedUuid,
		'skip',
	);
	refuseIfBlocked({
		verdict: beforeClone,
		name:
			origin === undefined
				? (source.entry?.name ?? source.url)
				: `The local clone ${source.url} (origin ${origin})`,
		force: options.forceBlacklisted,
		reporter: deps.reporter,
	});
	// D27: a redirect is followed only to an address the transport rule and blacklist clear.
	const guard = redirectGuard({
		snapshot: deps.snapshot,
		use: transportUse(policy),
		...expectedUuid,
		reporter: deps.reporter,
	});

	const before = await deps.store.read();
	const existing = Object.values(before.plugins).find((plugin) =>
		sameUrl(plugin.source.canonicalUrl, source.canonical, urlContext),
	);
	const names = { ...urlContext, cwd: deps.cwd, home: deps.home, index: deps.snapshot.index };
	if (existing !== undefined && !options.reinstall) {
		throw alreadyInstalled(existing, addressOf(existing, before, names));
	}
	if (existing !== undefined) {
		await confirmDiscardingLocalChanges(
			existing,
			{ action: 'reinstalling', yesDiscards: options.yes },
			deps,
		);
	}

	// 3–4. Fetch into staging and read the manifest (a local directory is read where it is).
	deps.prepareScan?.();
	const fetched = await fetchInstallSource(source, options, deps, guard, existing);
	// D21: the scan runs beside the checks below, on the digest's reads; reviewed after them.
	const scanning = startScan(fetched, deps);
	try {
		const { manifest } = fetched;
		for (const warning of fetched.warnings) deps.reporter.info(`manifest: ${warning}`);
		// What it contains is checked before anyone is asked to trust it.
		await assertSelfContained(fetched.dir);
		const digest = await deps.digest(fetched.dir, scanning.files);

		// 5. The blacklist again, now with the UUID and version, under every address involved.
		refuseIfBlocked({
			verdict: blacklistVerdictAt(
				deps.snapshot,
				[source.url, source.typedPath, fetched.fetchedFrom, ...origins],
				{
					uuid: manifest.uuid,
					...versionFacts(manifest.version, fetched.candidate, source.entry),
					// Empty for a local directory without git: unknown, so a commit key fails safe.
					...(fetched.commit === '' ? {} : { commit: fetched.commit }),
				},
			),
			name: manifest.name,
			force: options.forceBlacklisted,
			reporter: deps.reporter,
			shown: beforeClone,
		});

		// 6. Trust (D6): the registry's level only for its URL and its UUID together.
		const trust = resolveTrust(deps.snapshot.index, { url: source.url, uuid: manifest.uuid });
		// 7. One plugin per UUID (spec item 13), settled before anyone is asked anything.
		const owner = before.plugins[manifest.uuid];
		if (owner !== undefined && !sameUrl(owner.source.canonicalUrl, source.canonical, urlContext)) {
			throw uuidConflict(owner, manifest);
		}

		// 8. D19b pins and author signatures, then D21: what the code does.
		const { release, author, scan, notices } = await vetRelease(
			{
				fetched,
				digest,
				trust,
				entry: source.entry,
				local: source.kind === 'local',
				scan: scanning.outcome,
			},
			deps,
		);

		// 9–10. The consent screen: trust, the scan (ours, and the registry's of this commit),
		// what it can reach; then the questions.
		notices.unshift(...trustNotices(trust));
		const registryScan = await registryScanNotice(deps.snapshot, trust, fetched.commit);
		if (source.kind === 'local') {
			notices.push(
				'This is a local directory without git: it is loaded in place, and nobody but you vouches for it.',
			);
		}
		await obtainConsent(
			{
				pluginName: manifest.name,
				trust,
				capabilities: manifest.capabilities,
				notices,
				action: 'install',
				yes: options.yes,
				scan,
				reportHint: `vouch scan ${sanitizeText(source.url, { maxLength: 200 })}`,
				...(registryScan === undefined ? {} : { registryScan }),
				acceptFindings: options.acceptFindings === true,
				acceptImpersonation: options.acceptImpersonation === true,
			},
			deps,
		);

		// 11–12. Move into place and record, under the lock, re-checking what may have changed.
		return await deps.store.transaction(async (state, tx) => {
			const current = state.plugins[manifest.uuid];
			if (
				current !== undefined &&
				!sameUrl(current.source.canonicalUrl, source.canonical, urlContext)
			) {
				throw uuidConflict(current, manifest);
			}
			// Installed meanwhile, by another process.
			if (current !== undefined && !options.reinstall) {
				throw alreadyInstalled(current, addressOf(current, state, names));
			}
			const directory =
				source.kind === 'git' ? pluginDirectoryName(manifest.name, manifest.uuid) : source.url;
			const record = buildRecord({
				manifest,
				source,
				fetched,
				directory,
				digest,
				trust,
				previous: current,
				release,
				author,
				scan: scanSummaryOf(scan, deps.now()),
				now: deps.now(),
				origin,
				fetchedOrigin: chain.fetchedOrigin,
				registryId: registryIdAtInstall(source, manifest.uuid, origin, deps),
			});
			tx.afterCommit(() => keepScanReport(deps, record, scan));
			// A renamed or re-identified plugin leaves its old directory behind; it is ours to
			// remove. Its journal is written before the move, so a crash between the two can
			// never leave that directory orphaned.
			const stale = existing === undefined ? undefined : state.plugins[existing.uuid];
			if (stale !== undefined && stale.directory !== record.directory) {
				await deps.files.remove(tx, stale);
			}
			if (source.kind === 'git') {
				await deps.files.place(state, tx, {
					staged: fetched.dir,
					record,
					enabled: options.enable,
					...(stale !== undefined && stale.uuid !== record.uuid ? { replaces: stale.uuid } : {}),
				});
				fetched.placed = true;
			}
			if (stale !== undefined && stale.uuid !== record.uuid) delete state.plugins[stale.uuid];
			state.plugins[record.uuid] = record;
			state.enabled = state.enabled.filter(
				(uuid) => uuid !== record.uuid && uuid !== existing?.uuid,
			);
			if (options.enable) state.enabled.push(record.uuid);
			return {
				plugin: record,
				enabled: options.enable,
				reinstalled: existing !== undefined,
				trust,
			};
		});
	} finally {
		// A check that refused stops the scan; staging goes only once nothing reads it.
		await scanning.settle();
		if (source.kind === 'git' && !fetched.placed) await deps.files.removeStaging(fetched.dir);
	}
}

function uuidConflict(owner: InstalledPlugin, manifest: Manifest): Error {
	return lifecycleError(
		'UUID_CONFLICT',
		`${sanitizeText(manifest.name)} has the UUID of the installed ${sanitizeText(owner.name)} from ${sanitizeText(owner.source.url)}.`,
		{ hint: 'Uninstall the other plugin first, if you really mean to replace it.' },
	);
}

/** The entry installed from, or for a local copy the entry it is a copy of (`installed.ts`). */
function registryIdAtInstall(
	source: InstallSource,
	uuid: string,
	origin: string | undefined,
	deps: Pick<InstallDeps, 'snapshot'>,
): string | undefined {
	if (source.entry !== undefined) return source.entry.id;
	const index = deps.snapshot.index;
	// A remote fork carrying a registered UUID is not a copy the registry names.
	if (index === undefined || sourceKind(source.url) !== 'local') return undefined;
	return entryOfLocalCopy({ uuid, origin }, index)?.id;
}
