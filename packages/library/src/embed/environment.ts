/**
 * The outside world a host hands to Vouch: environment variables, working and home
 * directories, `fetch` and a clock. Every operation reads these from here and nowhere else,
 * so a host (or a test) replaces any of them in one place.
 */
import { homedir } from 'node:os';
import type { CanonicalUrlContext } from '../core/canonical-url.ts';
import type { HostProfile } from '../core/profile.ts';

/** What Vouch may read of the process it runs in; all of it injectable. */
export interface HostEnvironment {
	/** Environment variables: `HOME`, the XDG directories, `VOUCH_PROFILE`, `VOUCH_REGISTRY_URL`. */
	env: NodeJS.ProcessEnv;
	/** Base for relative paths: a profile file, a local registry, a local plugin directory. */
	cwd: string;
	/** Expansion of `~`. */
	home: string;
	/** Used for registry requests (git runs its own transport). */
	fetch: typeof fetch;
	/** The clock: blacklist freshness, timestamps in the local state. */
	now: () => Date;
}

/** Fills what the host left out with the running process's own values. */
export function hostEnvironment(given: Partial<HostEnvironment> = {}): HostEnvironment {
	const env = given.env ?? process.env;
	return {
		env,
		cwd: given.cwd ?? process.cwd(),
		home: given.home ?? env.HOME ?? homedir(),
		fetch: given.fetch ?? globalThis.fetch,
		now: given.now ?? (() => new Date()),
	};
}

/** How URLs are made canonical (D2) under this environment and profile. */
export function urlContextOf(
	profile: Pick<HostProfile, 'caseInsensitivePathHosts'>,
	environment: Pick<HostEnvironment, 'cwd' | 'home'>,
): Required<CanonicalUrlContext> {
	return {
		cwd: environment.cwd,
		home: environment.home,
		caseInsensitivePathHosts: profile.caseInsensitivePathHosts,
	};
}
