/**
 * The loader's policy for signed sources, with a scripted TUF client behind the seam (the real
 * client against a real repository is covered in test/cli/signed-registry.slow.test.ts): when
 * it refreshes, what may stand in, and which refusals end the load.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { VouchError } from '../../../src/core/errors.ts';
import {
	isRegistryDocument,
	loadRegistryFromSources,
} from '../../../src/registry/sources/load-sources.ts';
import type {
	LoadRegistryFromSourcesOptions,
	SignedRegistryReader,
	SignedRegistryText,
} from '../../../src/registry/sources/step.ts';
import { createUnsignedVerifier } from '../../../src/registry/sources/verifier.ts';
import { makeTempDir } from '../../helpers/temp.ts';
import { blacklistEntry, pluginEntry, registryJson, UUID_A } from '../helpers.ts';

const HOUR = 60 * 60 * 1000;
const START = new Date('2026-11-28T12:00:00Z');
const TEXT = registryJson(
	[pluginEntry('alpha', UUID_A)],
	[blacklistEntry({ url: 'https://github.com/evil/one' })],
);

interface ScriptedReader extends SignedRegistryReader {
	refreshes: string[];
	cachedReads: number;
	failWith?: VouchError;
	cacheFailWith?: VouchError;
}

function reader(expiresAt: Date): ScriptedReader {
	const verified: SignedRegistryText = { text: TEXT, format: 'json', signed: true, expiresAt };
	const self: ScriptedReader = {
		refreshes: [],
		cachedReads: 0,
		async refresh(location) {
			self.refreshes.push(location);
			if (self.failWith !== undefined) throw self.failWith;
			return verified;
		},
		async loadCached() {
			self.cachedReads++;
			if (self.cacheFailWith !== undefined) throw self.cacheFailWith;
			return verified;
		},
	};
	return self;
}

let cacheDir: string;
let clock: Date;
beforeEach(() => {
	cacheDir = makeTempDir('vouch-signed-load-');
	clock = START;
});

function options(
	signed: SignedRegistryReader,
	overrides: Partial<LoadRegistryFromSourcesOptions> = {},
): LoadRegistryFromSourcesOptions {
	return {
		sources: ['https://registry.example/repo/'],
		profile: { cacheDir, refreshIntervalHours: 6, maxStalenessDays: 14 },
		verifier: createUnsignedVerifier({ name: 'strict', allowUnsigned: false }),
		signed,
		fetch: async () => {
			throw new Error('the signed path must not fetch by itself');
		},
		now: () => clock,
		cwd: cacheDir,
		...overrides,
	};
}

describe('signed sources in the loader', () => {
	it('refreshes, then serves the verified cache inside the refresh interval', async () => {
		const tuf = reader(new Date(START.getTime() + 24 * HOUR));
		const first = await loadRegistryFromSources(options(tuf));
		assert.equal(first.signed, true);
		assert.equal(first.fromCache, false);
		assert.equal(first.freshness.state, 'fresh');
		assert.deepEqual(tuf.refreshes, ['https://registry.example/repo/']);
		clock = new Date(START.getTime() + 2 * HOUR);
		const second = await loadRegistryFromSources(options(tuf));
		assert.equal(second.fromCache, true);
		assert.equal(tuf.refreshes.length, 1, 'no refresh inside the interval');
		assert.equal(tuf.cachedReads, 1);
		clock = new Date(START.getTime() + 7 * HOUR);
		await loadRegistryFromSources(options(tuf));
		assert.equal(tuf.refreshes.length, 2, 'a refresh once the interval has passed');
		await loadRegistryFromSources(options(tuf, { mode: 'refresh' }));
		assert.equal(tuf.refreshes.length, 3, '`refresh` mode always asks the repository');
	});

	it('lets the verified cache stand in during an outage, marked offline', async () => {
		const tuf = reader(new Date(START.getTime() + 24 * HOUR));
		await loadRegistryFromSources(options(tuf));
		clock = new Date(START.getTime() + 7 * HOUR);
		tuf.failWith = new VouchError('TUF_FETCH_FAILED', 'connection refused');
		const loaded = await loadRegistryFromSources(options(tuf));
		assert.equal(loaded.offline, true);
		assert.equal(loaded.failures[0]?.code, 'TUF_FETCH_FAILED');
		assert.equal(loaded.fetchedAt.getTime(), START.getTime(), 'the last contact, not now');
		await assert.rejects(loadRegistryFromSources(options(tuf, { mode: 'refresh' })), {
			code: 'NO_REGISTRY_AVAILABLE',
		});
	});

	it('keeps the verified state after a refused repository, but a refresh reports the refusal', async () => {
		const expired = new Date(START.getTime() - HOUR);
		const tuf = reader(expired);
		tuf.failWith = new VouchError('TUF_METADATA_EXPIRED', 'frozen');
		const loaded = await loadRegistryFromSources(options(tuf));
		assert.equal(loaded.failures[0]?.code, 'TUF_METADATA_EXPIRED');
		assert.equal(loaded.freshness.state, 'stale', 'the verified timestamp drives D1');
		await assert.rejects(loadRegistryFromSources(options(tuf, { mode: 'refresh' })), {
			code: 'TUF_METADATA_EXPIRED',
		});
	});

	it('ends the load on a tampered cache instead of standing anything in', async () => {
		const tuf = reader(new Date(START.getTime() + 24 * HOUR));
		tuf.failWith = new VouchError('TUF_CACHE_TAMPERED', 'edited');
		tuf.cacheFailWith = tuf.failWith;
		await assert.rejects(loadRegistryFromSources(options(tuf)), { code: 'TUF_CACHE_TAMPERED' });
	});

	it('moves on to the next mirror when one has no repository', async () => {
		const tuf = reader(new Date(START.getTime() + 24 * HOUR));
		const refresh = tuf.refresh.bind(tuf);
		tuf.refresh = async (location) => {
			if (location.includes('first')) {
				tuf.refreshes.push(location);
				throw new VouchError('TUF_NOT_FOUND', 'no timestamp.json');
			}
			return refresh(location);
		};
		const loaded = await loadRegistryFromSources(
			options(tuf, { sources: ['https://first.example/', 'https://second.example/'] }),
		);
		assert.equal(loaded.source, 'https://second.example/');
		assert.equal(loaded.failures[0]?.code, 'TUF_NOT_FOUND');
	});

	it('reads a named registry file as unsigned, which a strict profile refuses', async () => {
		const tuf = reader(new Date(START.getTime() + 24 * HOUR));
		await assert.rejects(
			loadRegistryFromSources(
				options(tuf, {
					sources: ['https://registry.example/plugins.toml'],
					fetch: async () => new Response(TEXT, { status: 200 }),
				}),
			),
			{ code: 'UNSIGNED_REGISTRY_REFUSED' },
		);
		assert.equal(tuf.refreshes.length, 0);
	});
});

describe('isRegistryDocument', () => {
	it('tells registry files from repository bases', () => {
		assert.equal(isRegistryDocument('https://x.example/plugins.toml'), true);
		assert.equal(isRegistryDocument('https://x.example/registry.JSON?x=1'), true);
		assert.equal(isRegistryDocument('./plugins.toml'), true);
		assert.equal(isRegistryDocument('https://x.example/repo/'), false);
		assert.equal(isRegistryDocument('file:///srv/repo'), false);
		assert.equal(isRegistryDocument('/srv/repo'), false);
	});
});
