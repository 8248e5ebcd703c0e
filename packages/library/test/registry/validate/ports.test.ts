/**
 * What validate does with the repository port, driven through a port written here (the real one
 * is covered in `validate.slow.test.ts`): a failure inside a plugin's checks becomes an issue and
 * the fetch is still cleaned up, concurrency stays within its bound, untrusted ref names and
 * messages reach the report sanitised, and progress is reported for every plugin.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type {
	ManifestAtCommit,
	OpenedRepository,
	RepositoryProbe,
	WantedRefs,
} from '../../../src/registry/validate/repository-port.ts';
import { validateRegistry } from '../../../src/registry/validate/validate.ts';
import { codesOf, entry, LOCAL_REGISTRY, registryOf } from './helpers.ts';

const UUIDS = [
	'3713d8f5-72b0-401d-9ec9-3818380bc576',
	'81fd1f5f-f723-498f-a82e-17fb4163c83a',
	'74807b76-c451-419f-bbd4-42a78e2444a6',
	'5b8c2f4e-9d31-4a7b-b6e0-2c7f13a9d845',
	'8c4f2a1e-5b7d-4e9a-9c3f-1d2e6a7b8c90',
];
const COMMIT = 'c'.repeat(40);
const ESC = String.fromCharCode(0x1b);
const BEL = String.fromCharCode(0x07);
const hasControl = (text: string) => [...text].some((ch) => (ch.codePointAt(0) ?? 0) < 0x20);

function repository(
	manifest: (commit: string) => Promise<ManifestAtCommit>,
	onClose: () => void = () => {},
	tags: [string, string][] = [],
	fetched: WantedRefs[] = [],
): OpenedRepository {
	return {
		listing: { branches: new Map([['main', COMMIT]]), tags: new Map(tags) },
		async fetch(wanted) {
			fetched.push(wanted);
		},
		manifestAt: manifest,
		treeDigestAt: async () => `sha256:${'0'.repeat(64)}`,
		async close() {
			onClose();
		},
	};
}

const registry = (count: number) =>
	registryOf(
		UUIDS.slice(0, count).map((uuid, i) =>
			entry({ id: `p${i}`, uuid, git_url: `/srv/repos/p${i}` }),
		),
	);

describe('registry validate: the repository port', () => {
	it('turns a failure inside the checks into CHECK_FAILED, and still closes the fetch', async () => {
		let closed = 0;
		const probe: RepositoryProbe = {
			open: async () =>
				repository(
					async () => {
						throw new Error(`disk on fire ${ESC}[31m`);
					},
					() => closed++,
				),
		};
		const report = await validateRegistry(registry(1), { probe, transport: LOCAL_REGISTRY });
		assert.deepEqual(codesOf(report.errors), ['p0 CHECK_FAILED']);
		assert.ok(!hasControl(report.errors[0]?.message ?? ''));
		assert.equal(closed, 1);
	});

	it('reports a repository that lists but cannot be fetched, and closes it', async () => {
		let closed = 0;
		const probe: RepositoryProbe = {
			open: async () => ({
				...repository(
					async () => ({ kind: 'missing' }),
					() => closed++,
				),
				async fetch() {
					throw new Error('connection reset');
				},
			}),
		};
		const report = await validateRegistry(registry(1), { probe, transport: LOCAL_REGISTRY });
		assert.deepEqual(codesOf(report.errors), ['p0 REPOSITORY_UNREACHABLE']);
		assert.equal(closed, 1);
	});

	it('never runs more plugins at once than asked', async () => {
		let running = 0;
		let most = 0;
		const probe: RepositoryProbe = {
			async open(url) {
				running++;
				most = Math.max(most, running);
				await new Promise((resolve) => setImmediate(resolve));
				running--;
				const uuid = UUIDS[Number(url.slice(-1))] as string;
				return repository(async () => ({ kind: 'valid', uuid }));
			},
		};
		const seen: string[] = [];
		const report = await validateRegistry(registry(5), {
			probe,
			transport: LOCAL_REGISTRY,
			concurrency: 2,
			onPlugin: (event) => {
				if (event.phase === 'done') seen.push(event.id);
			},
		});
		assert.deepEqual(report.errors, []);
		assert.equal(most, 2);
		assert.deepEqual(seen.sort(), ['p0', 'p1', 'p2', 'p3', 'p4']);
		assert.deepEqual(
			report.plugins.map((p) => p.id),
			['p0', 'p1', 'p2', 'p3', 'p4'],
			'the report keeps the registry order, whatever order the checks finished in',
		);
	});

	it('sanitises ref names and problems that come from the repository', async () => {
		const evil = `main${ESC}]0;owned${BEL}`;
		const probe: RepositoryProbe = {
			open: async () => ({
				...repository(async () => ({ kind: 'invalid', problem: `bad ${ESC}[2J` })),
				listing: { branches: new Map([[evil, COMMIT]]), tags: new Map() },
			}),
		};
		const report = await validateRegistry(
			registryOf([
				entry({ id: 'p0', uuid: UUIDS[0] as string, git_url: '/srv/p0', refs: [{ name: evil }] }),
			]),
			{ probe, transport: LOCAL_REGISTRY },
		);
		assert.deepEqual(
			codesOf(report.errors).map((code) => code.split(' ')[1]),
			['REF_INVALID', 'MANIFEST_INVALID'],
		);
		for (const issue of report.errors)
			assert.ok(!hasControl(`${issue.ref ?? ''} ${issue.message}`));
	});

	it('bounds the version tags it reads, and says so', async () => {
		let reads = 0;
		const fetched: WantedRefs[] = [];
		const tags: [string, string][] = Array.from({ length: 60 }, (_, i) => [
			`v1.${i}.0`,
			i.toString(16).padStart(40, '0'),
		]);
		const probe: RepositoryProbe = {
			open: async () =>
				repository(
					async () => {
						reads++;
						return { kind: 'valid', uuid: UUIDS[0] as string };
					},
					() => {},
					[...tags, ['unrelated', 'e'.repeat(40)]],
					fetched,
				),
		};
		const report = await validateRegistry(
			registryOf([
				entry({
					id: 'p0',
					uuid: UUIDS[0] as string,
					git_url: '/srv/p0',
					versioning_scheme: 'semver',
				}),
			]),
			{ probe, transport: LOCAL_REGISTRY },
		);
		assert.deepEqual(codesOf(report.warnings), ['p0 TAGS_NOT_ALL_CHECKED']);
		assert.equal(reads, 1 + 50);
		// One fetch, of exactly what is read: the default ref and the newest 50 version tags.
		assert.equal(fetched.length, 1);
		assert.deepEqual(fetched[0]?.branches, ['main']);
		assert.equal(fetched[0]?.tags.length, 50);
		assert.ok(!fetched[0]?.tags.includes('unrelated'));
		assert.ok(!fetched[0]?.tags.includes('v1.0.0'), 'the oldest tags are not fetched');
	});
});
