/**
 * Vouch as a library: the public surface, kept short on purpose. Everything else under `src/`
 * is internal and may change without notice.
 *
 * Most hosts need only {@link createVouch}: it wires the real dependencies for a host profile
 * and returns the lifecycle as async operations. The building blocks after it are exported for
 * hosts that wire the lifecycle themselves.
 *
 * @packageDocumentation
 */

// Vouch for a host in one call, with its options and results

export type {
	BlacklistCheck,
	BlacklistQuery,
	EnableFlags,
	FetchFlags,
	InstalledPluginStatus,
	InstallFlags,
	InstallOutcome,
	RefreshResult,
	RegistryStatus,
	UpdateFlags,
	WatchHandlers,
} from './embed/index.ts';
export {
	createVouch,
	type HostEnvironment,
	type ProfileChoice,
	type Vouch,
	type VouchOptions,
} from './embed/index.ts';
export type { DisableReason } from './lifecycle/enablement.ts';

// Errors: one class, one union of codes to narrow on, and the consent a host did not give

export { ExitCode, isVouchError, VouchError } from './core/errors.ts';
export {
	hasCode,
	type MissingConsent,
	missingConsent,
	type VouchErrorCode,
} from './embed/index.ts';

// The code unions `VouchErrorCode` is made of, one per module

export type { BlacklistErrorCode } from './blacklist/errors.ts';
export type { CoreErrorCode, VouchErrorOptions } from './core/errors.ts';
export type { GitErrorCode } from './git/errors.ts';
export type { LifecycleErrorCode } from './lifecycle/errors.ts';
export type { StoreErrorCode } from './lifecycle/store/errors.ts';
export type { LogErrorCode } from './log/errors.ts';
export type { ManifestErrorCode } from './manifest/errors.ts';
export type { RegistryErrorCode } from './registry/errors.ts';
export type { RefChoiceErrorCode } from './registry/ref-choice.ts';
export type { RegistrySourcesErrorCode } from './registry/sources/errors.ts';
export type { ReportErrorCode } from './report/errors.ts';
export type { ScanErrorCode } from './scan/errors.ts';
export type { RegistryScanSummary } from './tuf/client/scan-summary.ts';
export type { TufErrorCode } from './tuf/errors.ts';

// Community reports (D22): build what the host knows, show it, send it, follow it

export {
	buildReport,
	type ReportHost,
	type ReportInput,
	type ReportSubject,
} from './embed/index.ts';
export {
	parseEvidenceArgument,
	parseEvidenceUrl,
	parseReportKind,
	REPORT_KIND_WORDS,
} from './report/arguments.ts';
export {
	checkReportRequest,
	reportStatus,
	type SendReportDeps,
	sendReport,
} from './report/client.ts';
export type { ReportClientDeps } from './report/exchange.ts';
export {
	type ParsedReportRequest,
	REPORT_KINDS,
	type ReportEvidence,
	type ReportedPlugin,
	type ReportKind,
	type ReportReceipt,
	type ReportRequest,
	type ReportStatus,
	reportEvidenceSchema,
	reportedPluginSchema,
	reportReceiptSchema,
	reportRequestSchema,
	reportStatusSchema,
} from './report/report-schema.ts';

// Asking and telling the user: injected, unattended and silent by default

export {
	type ConfirmQuestion,
	type LifecycleReporter,
	NON_INTERACTIVE,
	type Prompter,
	SILENT_REPORTER,
} from './lifecycle/prompter.ts';

// Start-up check and watching (D23)

export {
	type HostStartupOptions,
	type PluginWatch,
	runStartupCheck,
	type WatchOptions,
	watchInstalledPlugins,
} from './embed/index.ts';
export type { BlockDetails } from './lifecycle/blocked-notice.ts';
export {
	checkInstalledPlugins,
	type LoadablePlugin,
	type StartupDeps,
	type StartupEntry,
	type StartupReport,
} from './lifecycle/startup-check.ts';

// The lifecycle and its dependencies, for hosts that wire it themselves

export {
	createLifecycleGit,
	hostEnvironment,
	hostProfileOf,
	type LifecycleGit,
	type LoadedRegistry,
	type LocalState,
	loadProfileRegistry,
	loadSnapshot,
	openLocalState,
	type ProfileRegistryRequest,
	pluginWorkDeps,
	registryNotices,
	type SnapshotLoad,
} from './embed/index.ts';
export type { PluginWorkDeps } from './lifecycle/deps.ts';
export { disablePlugin, type EnablementDeps, enablePlugin } from './lifecycle/enablement.ts';
export {
	type InstallDeps,
	type InstallOptions,
	type InstallResult,
	installPlugin,
} from './lifecycle/install.ts';
export type {
	CloneRequest,
	GitPort,
	RedirectCheck,
	RedirectHop,
	RemoteListing,
	RemoteOptions,
	TagVerifierPort,
	TagVerifyRequest,
	TagVerifyResult,
} from './lifecycle/ports.ts';
export {
	type BlacklistGateInput,
	type RegistrySnapshot,
	snapshotOf,
} from './lifecycle/snapshot.ts';
export type {
	InstalledPlugin,
	PluginFiles,
	PluginStore,
	StoreState,
	TreeDigest,
} from './lifecycle/store/index.ts';
export {
	type UninstallDeps,
	type UninstallResult,
	uninstallPlugin,
} from './lifecycle/uninstall.ts';
export {
	type UpdateDeps,
	type UpdateOptions,
	type UpdateOutcome,
	updatePlugin,
} from './lifecycle/update.ts';

// Types the lifecycle's dependencies and results are made of

export type { BlacklistSeverity } from './blacklist/entry.ts';
export type { BlacklistFreshness } from './blacklist/staleness.ts';
export type { BlacklistProblem, PluginIdentity } from './blacklist/types.ts';
export type { PluginWorkParts } from './embed/wiring.ts';
export type { RefType } from './lifecycle/ports.ts';
export type { RecoveryAction } from './lifecycle/store/journal.ts';
export type { TransactionContext } from './lifecycle/store/store.ts';
export type { CapabilityDeclaration } from './manifest/capabilities.ts';
export type { ManifestIssue, ManifestIssueCode } from './manifest/issues.ts';
export type { RegistryTrustLevel } from './registry/model.ts';
export type {
	LoadProgress,
	RegistryLoadMode,
	RegistryLoadResult,
	SourceFailure,
} from './registry/sources/index.ts';
export type { TrustQuery } from './registry/trust.ts';
export type { CapabilityReport, ScanSummary, SkippedFile } from './scan/types.ts';

// Reviewed releases (D19b) and the tree digest they pin (docs/tree-digest.md)

export { checkRelease, type ReleaseCheck } from './lifecycle/release-check.ts';
export { digestTree, treeDigestOf } from './lifecycle/store/digest.ts';

// Host profiles, versions and URLs (D2)

export { apiVersionsIntersect, parseApiVersion } from './core/api-version.ts';
export {
	type CanonicalUrlContext,
	canonicalUrl,
	DEFAULT_CASE_INSENSITIVE_PATH_HOSTS,
	sameUrl,
	tryCanonicalUrl,
} from './core/canonical-url.ts';
export { builtinProfile, type HostProfile, resolveProfile } from './core/profile.ts';
export { compareTags, parseVersioningScheme, type VersionScheme } from './core/tag-schemes.ts';

// Untrusted text and identities

export { escapeHtml, redactUrlCredentials, sanitizeText } from './core/sanitize.ts';
export { generatePluginUuid, isValidPluginUuid, uuidProblem } from './core/uuid.ts';

// git, through Vouch's one runner

export { createGit } from './git/index.ts';

// The blacklist

export {
	assessBlacklistFreshness,
	type BlacklistVerdict,
	type CompiledBlacklist,
	compileBlacklist,
} from './blacklist/index.ts';

// MANIFEST.toml

export {
	CAPABILITIES,
	type Capability,
	type CapabilityLabel,
	capabilityLabels,
	describeEnforcement,
	type EnforcementLabel,
	type HostMode,
	type Manifest,
	type ManifestResult,
	nodeEnforcementApplies,
	parseManifestText,
	RAW_SOCKETS_NOTE,
	readManifest,
	validateManifest,
} from './manifest/index.ts';

// The registry and its sources: cache, conditional requests, the verifier seam

export { buildRegistryIndex, type RegistryIndex } from './registry/index.ts';
export { lintRegistry } from './registry/lint.ts';
export { readRegistrySource } from './registry/load.ts';
export type { BlacklistEntry, Registry, RegistryPlugin, TrustLevel } from './registry/model.ts';
export { parseRegistryText } from './registry/parse.ts';
export { resolveRedirect } from './registry/redirect.ts';
export { chooseRef, type RefChoice } from './registry/ref-choice.ts';
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

export type { SourceScanResult } from './scan/engine/scan-source.ts';
export type { SourceScanRequest, SourceScanRunner } from './scan/engine/source-runner.ts';
export { scanPlugin } from './scan/on-first-call.ts';
export { toSarif } from './scan/sarif.ts';
export type { ScanOptions } from './scan/scan-plugin.ts';
export type { Finding, ScanReport } from './scan/types.ts';

// Signed registries (TUF)

export {
	createTufVerifier,
	initKeys,
	publishRepository,
	tufClientForProfile,
} from './tuf/index.ts';
