/**
 * Safe mode (issue part 2): start with no plugins. Asked for with `--safe-mode` or
 * `VOUCH_SAFE_MODE=1`, or entered by itself after 3 start-ups in a row that crashed. A marker
 * (the count of unhealthy start-ups, in the host state) is raised before any plugin loads and
 * cleared once the host has been healthy for 30 seconds, so a start-up that brings the whole
 * process down leaves its mark.
 */
export const UNHEALTHY_START_LIMIT = 3;
export const HEALTHY_AFTER_MS = 30_000;

export type SafeModeReason = 'flag' | 'environment' | 'crashed-starts';

/** Whether to start in safe mode, and why; undefined for a normal start. */
export function safeModeReason(input: {
	flag: boolean;
	env: NodeJS.ProcessEnv;
	unhealthyStarts: number;
}): SafeModeReason | undefined {
	if (input.flag) return 'flag';
	if (input.env.VOUCH_SAFE_MODE === '1') return 'environment';
	if (input.unhealthyStarts >= UNHEALTHY_START_LIMIT) return 'crashed-starts';
	return undefined;
}

export function describeSafeMode(reason: SafeModeReason): string {
	switch (reason) {
		case 'flag':
			return 'safe mode: started with --safe-mode; no plugins are loaded';
		case 'environment':
			return 'safe mode: VOUCH_SAFE_MODE=1; no plugins are loaded';
		case 'crashed-starts':
			return `safe mode: the last ${UNHEALTHY_START_LIMIT} start-ups crashed; no plugins are loaded until the host leaves safe mode`;
	}
}
