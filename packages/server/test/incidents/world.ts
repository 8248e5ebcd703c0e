/**
 * One incident-service test world on either engine: a small registry with a community, a
 * trusted and an official plugin (two of them under one owner), the service over it, a clock
 * the test moves, and maintainers and reporters to act.
 */
import assert from 'node:assert/strict';
import type { ServiceDb } from '../../src/db/open.ts';
import { openServiceDb } from '../../src/db/open.ts';
import type { IncidentLimits } from '../../src/incidents/deps.ts';
import { createIncidentService } from '../../src/incidents/service.ts';
import type { IncidentService, Reporter } from '../../src/incidents/types.ts';
import type { Actor } from '../../src/store/actor.ts';
import { createRegistryStore, type RegistryStore } from '../../src/store/registry-store.ts';
import type { EngineFixture } from '../engines.ts';

export const PLUGINS = {
	community: {
		id: 'lyrics-fetcher',
		uuid: '6f1c2b9e-4a7d-4e3b-9c52-8d0e7a61f3b4',
		url: 'https://github.com/someone/lyrics-fetcher',
	},
	trusted: {
		id: 'cover-art',
		uuid: 'b3e8d4a1-27c6-4f95-a0d3-5c9f1e62b7a8',
		url: 'https://github.com/someone/cover-art',
	},
	official: {
		id: 'bpm',
		uuid: '0d9a7f25-e1b3-4c68-b4f7-2a6e93c5d180',
		url: 'https://github.com/picard/bpm',
	},
} as const;

/** The official plugin's reviewed release. */
export const OFFICIAL_COMMIT = 'a'.repeat(40);

const TRUST = { community: 'community', trusted: 'trusted', official: 'official' } as const;

export function registryText(): string {
	const plugins = Object.entries(PLUGINS).map(([level, plugin]) =>
		[
			'[[plugins]]',
			`id = "${plugin.id}"`,
			`uuid = "${plugin.uuid}"`,
			`name = "Plugin ${plugin.id}"`,
			`description = "A ${level} plugin"`,
			`git_url = "${plugin.url}"`,
			'categories = ["metadata"]',
			`trust_level = "${TRUST[level as keyof typeof TRUST]}"`,
			'added_at = "2026-01-01T00:00:00Z"',
			'updated_at = "2026-01-01T00:00:00Z"',
			// An official plugin is published with its reviewed release.
			...(level === 'official'
				? [
						'',
						'[[plugins.releases]]',
						'ref = "main"',
						`commit = "${OFFICIAL_COMMIT}"`,
						`tree = "sha256:${'b'.repeat(64)}"`,
					]
				: []),
			'',
		].join('\n'),
	);
	return `api_version = "3.0"\n\n${plugins.join('\n')}`;
}

export const ALICE: Actor = { name: 'alice', role: 'maintainer' };
export const BOB: Actor = { name: 'bob', role: 'maintainer' };
export const CAROL: Actor = { name: 'carol', role: 'maintainer' };
export const ROOT: Actor = { name: 'root', role: 'admin' };
export const REPORTER_ACTOR: Actor = { name: 'rita', role: 'reporter' };

export const ANONYMOUS: Reporter = { clientAddress: '198.51.100.7' };
export function trustedReporter(id: number, name: string, address = '192.0.2.10'): Reporter {
	return { account: { id, name, role: 'reporter' }, clientAddress: address };
}

export interface World {
	database: ServiceDb;
	store: RegistryStore;
	service: IncidentService;
	clock: { now: () => Date; advance(ms: number): void };
	close(): Promise<void>;
}

export async function openWorld(
	fixture: EngineFixture,
	options: {
		publicBaseUrl?: string;
		limits?: Partial<IncidentLimits>;
		database?: ServiceDb;
		/** The registry text to start from; `registryText()` by default. */
		registry?: string;
	} = {},
): Promise<World> {
	const database = options.database ?? (await openServiceDb(fixture.options));
	let now = new Date('2026-06-01T12:00:00Z').getTime();
	const clock = {
		now: () => new Date(now),
		advance: (ms: number) => {
			now += ms;
		},
	};
	const store = createRegistryStore({ database, clock: clock.now });
	await store.importText(options.registry ?? registryText(), ROOT, 'The test registry');
	const service = createIncidentService({
		db: database,
		clock: clock.now,
		store,
		publicBaseUrl: options.publicBaseUrl ?? 'https://registry.example.org',
		clientKeySecret: 'a test secret',
		...(options.limits === undefined ? {} : { limits: options.limits }),
	});
	return { database, store, service, clock, close: () => database.close() };
}

export function malwareReport(pluginId: string, details = 'It sends my tokens away.') {
	return { plugin: { id: pluginId }, kind: 'malware', details, evidence: [] };
}

/** The registry's blacklist entries as the document holds them. */
export async function blacklistEntries(store: RegistryStore) {
	return (await store.registry())?.registry.blacklist ?? [];
}

export async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
	await assert.rejects(promise, (error: unknown) => {
		assert.equal((error as { code?: string }).code, code, String(error));
		return true;
	});
}

/** A second incident service over the world's database, with a moment to step into its reads. */
export interface SteppedService {
	service: IncidentService;
	/** Run once, at the service's next read of the registry; cleared when it runs. */
	step: (() => Promise<unknown>) | undefined;
}

/**
 * The step runs before the read (`before`: what it changes is what the service reads) or once
 * the service has read (`after`: the service works from a registry the step then changes), so a
 * test can put another maintainer's edit between a request's read and its write.
 */
export function steppedService(world: World, when: 'before' | 'after' = 'before'): SteppedService {
	const stepped: SteppedService = { service: world.service, step: undefined };
	const store: RegistryStore = {
		...world.store,
		async registry() {
			const read = when === 'after' ? await world.store.registry() : undefined;
			const step = stepped.step;
			stepped.step = undefined;
			await step?.();
			return when === 'after' ? read : world.store.registry();
		},
	};
	stepped.service = createIncidentService({
		db: world.database,
		clock: world.clock.now,
		store,
		publicBaseUrl: 'https://registry.example.org',
		clientKeySecret: 'a test secret',
	});
	return stepped;
}
