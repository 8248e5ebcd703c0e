/** The blacklist: compiled matcher (D3, D4) and staleness policy (D1). */
export {
	type BlacklistIndexStats,
	type CompileBlacklistOptions,
	type CompiledBlacklistWithStats,
	compileBlacklist,
} from './compile.ts';
export type { BlacklistEntry, BlacklistSeverity } from './entry.ts';
export type { BlacklistErrorCode } from './errors.ts';
export { createPatternCache, type PatternCache } from './pattern-cache.ts';
export {
	assessBlacklistFreshness,
	type BlacklistFreshness,
	type BlacklistFreshnessInput,
	type BlacklistFreshnessState,
} from './staleness.ts';
export type {
	BlacklistContext,
	BlacklistProblem,
	BlacklistVerdict,
	CheckOptions,
	CompiledBlacklist,
	MatchKey,
	PluginIdentity,
} from './types.ts';
export { DEFAULT_REASONS, strictestOf } from './verdict.ts';
