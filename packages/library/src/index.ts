/**
 * Vouch as a library: the public surface, kept short on purpose. Everything else under `src/`
 * is internal and may change without notice.
 */

// The blacklist
export {
	assessBlacklistFreshness,
	type BlacklistVerdict,
	type CompiledBlacklist,
	compileBlacklist,
} from './blacklist/index.ts';
// Versions and host profiles
export { apiVersionsIntersect, parseApiVersion } from './core/api-version.ts';
export {
	type CanonicalUrlContext,
	canonicalUrl,
	DEFAULT_CASE_INSENSITIVE_PATH_HOSTS,
	sameUrl,
	tryCanonicalUrl,
} from './core/canonical-url.ts';
// Errors and exit codes
export { ExitCode, isVouchError, VouchError } from './core/errors.ts';
export { builtinProfile, type HostProfile, resolveProfile } from './core/profile.ts';
// Untrusted text and identities
export { escapeHtml, redactUrlCredentials, sanitizeText } from './core/sanitize.ts';
export { compareTags, parseVersioningScheme, type VersionScheme } from './core/tag-schemes.ts';
export { generatePluginUuid, isValidPluginUuid, uuidProblem } from './core/uuid.ts';
export { createGit } from './git/index.ts';
// The plugin lifecycle
export { type HostStartupOptions, runStartupCheck } from './lifecycle/host.ts';
export { type InstallOptions, installPlugin } from './lifecycle/install.ts';
// Reviewed releases (D19b) and the tree digest they pin (docs/tree-digest.md)
export { checkRelease, type ReleaseCheck } from './lifecycle/release-check.ts';
export { checkInstalledPlugins, type StartupReport } from './lifecycle/startup-check.ts';
export { digestTree, treeDigestOf } from './lifecycle/store/digest.ts';
export { updatePlugin } from './lifecycle/update.ts';
export {
	type PluginWatch,
	type WatchOptions,
	watchInstalledPlugins,
} from './lifecycle/watch.ts';
// MANIFEST.toml
export {
	CAPABILITIES,
	type Manifest,
	type ManifestResult,
	parseManifestText,
	readManifest,
	validateManifest,
} from './manifest/index.ts';
export { buildRegistryIndex, type RegistryIndex } from './registry/index.ts';
export { lintRegistry } from './registry/lint.ts';
export { readRegistrySource } from './registry/load.ts';
// The registry
export type { BlacklistEntry, Registry, RegistryPlugin, TrustLevel } from './registry/model.ts';
export { parseRegistryText } from './registry/parse.ts';
export { resolveRedirect } from './registry/redirect.ts';
export { chooseRef, type RefChoice } from './registry/ref-choice.ts';
// Registry sources: cache, conditional requests, the verifier seam
export {
	createUnsignedVerifier,
	loadRegistryFromSources,
	type RegistryVerifier,
	type SignedRegistryReader,
	type VerifiedRegistryText,
} from './registry/sources/index.ts';
export { resolveTrust, type TrustResult } from './registry/trust.ts';
export { trustBadge, trustWarning } from './registry/trust-display.ts';
// Static analysis (D21) and capability checks (D20)
export {
	type Finding,
	type ScanOptions,
	type ScanReport,
	scanPlugin,
	toSarif,
} from './scan/index.ts';
// Signed registries (TUF)
export {
	createTufVerifier,
	initKeys,
	publishRepository,
	tufClientForProfile,
} from './tuf/index.ts';
