/**
 * Deterministic synthetic data for the benchmarks: blacklists, installed plugins and whole
 * registries. A seeded generator keeps every run comparable with the last.
 */
import type { PluginIdentity } from '../packages/library/src/blacklist/types.ts';
import type { BlacklistEntry } from '../packages/library/src/registry/model.ts';

/** mulberry32: tiny, fast and good enough to spread synthetic data. */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const HEX = '0123456789abcdef';

/** A random v4 UUID that the plugin UUID rules accept (random hex has ample entropy). */
export function randomUuid(random: () => number): string {
	const hex = (count: number) => {
		let out = '';
		for (let i = 0; i < count; i++) out += HEX[Math.floor(random() * 16)];
		return out;
	};
	const variant = HEX[8 + Math.floor(random() * 4)];
	return `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${hex(12)}`;
}

const HOSTS = ['github.com', 'gitlab.com', 'codeberg.org'];

function repositoryUrl(host: string, owner: string, repo: string): string {
	return `https://${host}/${owner}/${repo}`;
}

export interface BlacklistScenario {
	entries: BlacklistEntry[];
	plugins: PluginIdentity[];
	/** How many plugins were made to collide with some entry. */
	planted: number;
}

/**
 * `entryCount` entries, a quarter each of uuid, url, url_regex and uuid+url, and `pluginCount`
 * installed plugins of which about 2% hit an entry; the rest are clean, which is the common case
 * and the one where a linear matcher has to look at every entry.
 */
export function blacklistScenario(
	entryCount: number,
	pluginCount: number,
	seed = 1,
): BlacklistScenario {
	const random = seededRandom(seed);
	const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
	const entries: BlacklistEntry[] = [];
	for (let index = 0; index < entryCount; index++) {
		const host = pick(HOSTS);
		const owner = `bad-owner-${index}`;
		const url = repositoryUrl(host, owner, `plugin-${index}`);
		const base = { index, severity: 'hard' as const, reason: `Synthetic entry ${index}` };
		switch (index % 4) {
			case 0:
				entries.push({ ...base, uuid: randomUuid(random) });
				break;
			case 1:
				entries.push({ ...base, url });
				break;
			case 2:
				// Organisation-wide patterns, the shape real blacklists use.
				entries.push({ ...base, urlRegex: `^https://${host.replaceAll('.', '\\.')}/${owner}/` });
				break;
			default:
				entries.push({ ...base, uuid: randomUuid(random), url });
		}
	}
	const plugins: PluginIdentity[] = [];
	let planted = 0;
	for (let i = 0; i < pluginCount; i++) {
		if (entries.length > 0 && random() < 0.02) {
			planted++;
			plugins.push(collidingPlugin(pick(entries), random));
			continue;
		}
		plugins.push({
			url: repositoryUrl(pick(HOSTS), `good-owner-${i}`, `plugin-${i}`),
			uuid: randomUuid(random),
			version: `1.${i % 10}.0`,
		});
	}
	return { entries, plugins, planted };
}

function collidingPlugin(entry: BlacklistEntry, random: () => number): PluginIdentity {
	const url =
		entry.url ??
		(entry.urlRegex === undefined
			? repositoryUrl('github.com', 'someone', 'fork')
			: `${entry.urlRegex.slice(1).replaceAll('\\', '')}fork.git`);
	return { url, uuid: entry.uuid ?? randomUuid(random), version: '1.0.0' };
}

/** A registry of `count` plugins in the Picard TOML form, shaped like the real one. */
export function syntheticRegistryToml(count: number, seed = 7): string {
	const random = seededRandom(seed);
	const levels = ['official', 'trusted', 'trusted', 'community', 'community', 'community'];
	const categories = ['metadata', 'coverart', 'ui', 'scripting', 'formats', 'other'];
	const lines: string[] = ['api_version = "3.0"', ''];
	for (let i = 0; i < count; i++) {
		const level = levels[Math.floor(random() * levels.length)];
		const category = categories[Math.floor(random() * categories.length)];
		lines.push(
			'[[plugins]]',
			`id = "synthetic-plugin-${i}"`,
			`uuid = "${randomUuid(random)}"`,
			`name = "Synthetic Plugin ${i}"`,
			`description = "A generated plugin entry number ${i}, used to measure registry loading."`,
			`git_url = "https://github.com/author-${i % 997}/picard-plugin-${i}"`,
			`categories = ["${category}"]`,
			`trust_level = "${level}"`,
			`authors = ["Author ${i % 997}"]`,
			'added_at = "2025-12-01T11:16:37Z"',
			'updated_at = "2025-12-02T21:36:08Z"',
			'versioning_scheme = "semver"',
			'',
			'[plugins.name_i18n]',
			`de = "Synthetisches Plugin ${i}"`,
			'',
		);
	}
	return lines.join('\n');
}
