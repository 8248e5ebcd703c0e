/**
 * semver, loaded on first use. Most runs compare no version at all (a registry without
 * version ranges, plugins on branches), and loading it costs a CLI start-up more than the
 * registry check itself. It is CommonJS, so `require` keeps its callers synchronous.
 */
import { createRequire } from 'node:module';
import type * as Semver from 'semver';

let loaded: typeof Semver | undefined;

export function semver(): typeof Semver {
	loaded ??= createRequire(import.meta.url)('semver') as typeof Semver;
	return loaded;
}
