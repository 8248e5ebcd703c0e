/**
 * The blacklist matcher's contract (D3, D4). Two implementations honour it: the compiled
 * index in `compile.ts`, used everywhere, and the naive scan in `naive.ts`, kept as the oracle
 * the property test compares it with.
 */
import type { CanonicalUrlContext } from '../core/canonical-url.ts';
import type { BlacklistEntry, BlacklistSeverity } from './entry.ts';

/** What is known about a plugin at the moment of the check; any part may be unknown. */
export interface PluginIdentity {
	/** Raw source: git URL in any spelling, or a local path. */
	url?: string;
	/** From the plugin's MANIFEST.toml; unknown before the clone. */
	uuid?: string;
	/** The plugin's own version (`v1.2`, `1.2.0`...), for entries with a `versions` range. */
	version?: string;
	/**
	 * The version the installed ref names (tag `v1.2.3` → `1.2.3`), when it is a version tag.
	 * The manifest's version is whatever its author wrote; the tag is what was fetched. A
	 * `versions` range matches when either version is in it, and an unknown version (neither
	 * readable) counts by `CheckOptions.unknownVersion`.
	 */
	refVersion?: string;
	/**
	 * The commit the plugin was fetched at, for entries with a `commit` key: a full id in any
	 * case. Unknown before the clone and for a local copy without git; an unknown commit counts
	 * by `CheckOptions.unknownCommit`.
	 */
	commit?: string;
}

export interface CheckOptions {
	/**
	 * How a `versions` key counts when the plugin's version is unknown or unparsable (or the
	 * range itself is unusable). `match` (the default) fails safe: the entry still blocks.
	 * `skip` is for the pre-clone URL check, where no version can be known yet; the post-clone
	 * check then runs with the version.
	 */
	unknownVersion?: 'match' | 'skip';
	/**
	 * How a `commit` key counts when the plugin's commit is unknown (or not a full id). It
	 * follows `unknownVersion` when not given: the pre-clone check skips both, the post-clone
	 * check then knows both. `match` fails safe.
	 */
	unknownCommit?: 'match' | 'skip';
}

/** The keys of an entry, in the order `matchedOn` lists them. */
export type MatchKey = 'uuid' | 'url' | 'url_regex' | 'versions' | 'commit';

export type BlacklistVerdict =
	| { blocked: false }
	| {
			blocked: true;
			/** The first matching hard entry in file order; the first soft one only when none is hard. */
			entry: BlacklistEntry;
			/** The entry's reason, or a default for its kind; sanitised for display. */
			reason: string;
			severity: BlacklistSeverity;
			/** The entry's incident page, sanitised; only https (or http to loopback) gets here. */
			incident?: string;
			/** The entry's advice to users, sanitised. */
			advice?: string;
			/** Every key of the entry, all of which matched (D4: keys are ANDed). */
			matchedOn: MatchKey[];
			/**
			 * For a soft verdict, the other soft entries that matched too, in file order, each with
			 * its sanitised reason. A user who keeps the plugin enabled accepts them all, so one
			 * added later is news that disables it again (D4).
			 */
			alsoSoft?: { entry: BlacklistEntry; reason: string }[];
	  };

/** A `url_regex` RE2 cannot compile: its entry matches nothing (D3), and `doctor` names it. */
export interface BlacklistProblem {
	/** The entry's `index`. */
	index: number;
	/** Raw, as written in the registry; sanitise before display. */
	urlRegex: string;
	/** RE2's complaint, sanitised. */
	error: string;
}

/**
 * How entry and plugin URLs are made canonical, alike for both: where relative local paths
 * are resolved from, what `~` means, and which hosts compare paths without case (D2).
 */
export type BlacklistContext = CanonicalUrlContext;

export interface CompiledBlacklist {
	/** Number of entries compiled. */
	readonly size: number;
	/**
	 * Patterns RE2 cannot compile, in entry order. Patterns are compiled lazily, so the first
	 * read compiles every one not compiled yet; read it when you are going to report it. Throws
	 * BLACKLIST_ENGINE_FAILED like `check`.
	 */
	readonly problems: readonly BlacklistProblem[];
	/**
	 * Odd input never makes it throw: it is treated as unknown, never as "clean" by accident.
	 * It throws BLACKLIST_ENGINE_FAILED only when the regex engine itself breaks, because then
	 * no answer would be trustworthy (D1).
	 */
	check(plugin: PluginIdentity, options?: CheckOptions): BlacklistVerdict;
}
