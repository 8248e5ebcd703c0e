/** Which host profile a host means: a built-in name, a profile file, or a profile it built. */
import { type HostProfile, resolveProfile } from '../core/profile.ts';
import type { HostEnvironment } from './environment.ts';

/**
 * A built-in profile name (`picard`), the path of a profile TOML file (relative to `cwd`), or a
 * `HostProfile` object. Absent: `VOUCH_PROFILE`, else `picard`.
 */
export type ProfileChoice = string | HostProfile;

/** Resolves a profile choice to the profile itself. */
export function hostProfileOf(
	choice: ProfileChoice | undefined,
	environment: Pick<HostEnvironment, 'env' | 'cwd' | 'home'>,
): HostProfile {
	if (typeof choice === 'object') return choice;
	return resolveProfile({
		...(choice === undefined ? {} : { nameOrFile: choice }),
		env: environment.env,
		cwd: environment.cwd,
		home: environment.home,
	});
}
