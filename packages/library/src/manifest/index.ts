/** MANIFEST.toml: reading, validation, capabilities and translated texts. */
export {
	CAPABILITIES,
	CAPABILITY_DESCRIPTIONS,
	type Capability,
	type CapabilityDeclaration,
	isCapability,
	RAW_SOCKETS_NOTE,
} from './capabilities.ts';
export {
	type CapabilityLabel,
	capabilityLabels,
	describeEnforcement,
	type EnforcementLabel,
	type HostMode,
	nodeEnforcementApplies,
} from './enforcement.ts';
export { type ManifestErrorCode, manifestError } from './errors.ts';
export type {
	ManifestErrorIssueCode,
	ManifestIssue,
	ManifestIssueCode,
	ManifestWarningCode,
} from './issues.ts';
export { MAX_MANIFEST_BYTES, MAX_MANIFEST_DEPTH } from './limits.ts';
export { type LocalisedField, localisedField } from './localise.ts';
export type { Manifest, ManifestOptions, ManifestResult } from './model.ts';
export { parseManifestText } from './parse.ts';
export { MANIFEST_FILE_NAME, readManifest } from './read.ts';
export { manifestSchema } from './schema.ts';
export { validateManifest } from './validate.ts';
