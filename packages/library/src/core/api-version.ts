/**
 * Plugin API versions ("3.0", "3.1"), parsed the way the reference host does so that
 * manifests it accepts are accepted here: `3`, `3.0` and `3.0.0` are the same version.
 */

export const PRE_RELEASE_RANK = { dev: 0, alpha: 1, beta: 2, rc: 3, final: 4 } as const;
export type PreRelease = keyof typeof PRE_RELEASE_RANK;

export interface ApiVersion {
	major: number;
	minor: number;
	patch: number;
	preRelease: PreRelease;
	preReleaseNumber: number;
}

const API_VERSION =
	/^(\d+)(?:[._](\d+)(?:[._](\d+)[._]?(?:(dev|a|alpha|b|beta|rc|final)[._]?(\d+))?)?)?$/;

/** Components above this are refused: they only serve to overflow comparisons. */
const MAX_COMPONENT = 1_000_000;

export function parseApiVersion(text: string): ApiVersion | undefined {
	if (typeof text !== 'string' || text.length > 64) return undefined;
	const m = API_VERSION.exec(text);
	if (!m) return undefined;
	const numbers = [m[1], m[2], m[3], m[5]].map((part) => (part === undefined ? 0 : Number(part)));
	if (numbers.some((n) => n > MAX_COMPONENT)) return undefined;
	const tag = m[4];
	const preRelease: PreRelease =
		tag === undefined
			? 'final'
			: tag === 'a'
				? 'alpha'
				: tag === 'b'
					? 'beta'
					: (tag as PreRelease);
	return {
		major: numbers[0] ?? 0,
		minor: numbers[1] ?? 0,
		patch: numbers[2] ?? 0,
		preRelease,
		preReleaseNumber: numbers[3] ?? 0,
	};
}

export function compareApiVersions(a: ApiVersion, b: ApiVersion): number {
	return (
		a.major - b.major ||
		a.minor - b.minor ||
		a.patch - b.patch ||
		PRE_RELEASE_RANK[a.preRelease] - PRE_RELEASE_RANK[b.preRelease] ||
		a.preReleaseNumber - b.preReleaseNumber
	);
}

/** `1.0.0.final0`, the reference's string form. */
export function formatApiVersion(v: ApiVersion): string {
	return `${v.major}.${v.minor}.${v.patch}.${v.preRelease}${v.preReleaseNumber}`;
}

/** Exact-version intersection (not ranges): how the host decides a plugin is loadable. */
export function apiVersionsIntersect(
	pluginVersions: readonly string[],
	hostVersions: readonly string[],
): boolean {
	const host = hostVersions.map(parseApiVersion).filter((v): v is ApiVersion => v !== undefined);
	for (const text of pluginVersions) {
		const v = parseApiVersion(text);
		if (v && host.some((h) => compareApiVersions(h, v) === 0)) return true;
	}
	return false;
}
