/**
 * The points at which the crash tests kill an install or update, in the order the lifecycle
 * passes them, and what the design promises for each: the old plugin until the staged files
 * are in place, the new one from then on (the journal completes the change).
 */
export const CRASH_STAGES = [
	'ls-remote',
	'clone',
	'manifest',
	'before-transaction',
	'before-place',
	'after-place',
	'after-commit',
] as const;

export type CrashStage = (typeof CRASH_STAGES)[number];

export const STAGE_DESCRIPTIONS: Record<CrashStage, string> = {
	'ls-remote': 'after listing the remote refs',
	clone: 'after cloning into staging',
	manifest: 'after reading the staged manifest',
	'before-transaction': 'after the checks and consent, before taking the store lock',
	'before-place': 'inside the store transaction, before the files move',
	'after-place': 'after the files moved, before the state is written',
	'after-commit': 'after the state is written, before the cleanup that follows it',
};

/** Which version recovery must leave: the files move in `place`, so from then on it is new. */
export function outcomeAfter(stage: CrashStage): 'old' | 'new' {
	return stage === 'after-place' || stage === 'after-commit' ? 'new' : 'old';
}

export function isCrashStage(value: string | undefined): value is CrashStage {
	return (CRASH_STAGES as readonly string[]).includes(value ?? '');
}
