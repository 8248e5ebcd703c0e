/**
 * What the host can promise about each capability (D29). The table lives in the library
 * (`manifest/enforcement.ts`) so the registry's web pages show the same labels; the host
 * re-exports it under its own names.
 */
export {
	type CapabilityLabel,
	capabilityLabels,
	describeEnforcement,
	type EnforcementLabel,
	type HostMode,
	RAW_SOCKETS_NOTE,
} from '@vouch/library';
