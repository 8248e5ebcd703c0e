/** The Node.js plugin host: `createPluginHost`, its options and reports, and the labels it shows. */
export {
	type CapabilityLabel,
	capabilityLabels,
	describeEnforcement,
	type EnforcementLabel,
	type HostMode,
	RAW_SOCKETS_NOTE,
} from './capability-labels.ts';
export { CRASH_LIMIT, CRASH_WINDOW_MS, ENABLE_LIMIT_MS } from './crash-loop.ts';
export { createPluginHost } from './create-plugin-host.ts';
export { type HostErrorCode, hostError } from './errors.ts';
export { type ForkPlugin, RUNNER_PATH } from './isolated-plugin.ts';
export type { ConsentedCapability } from './permissions.ts';
export type { HostApi } from './running-plugin.ts';
export { HEALTHY_AFTER_MS, type SafeModeReason, UNHEALTHY_START_LIMIT } from './safe-mode.ts';
export { type HostTimers, SYSTEM_TIMERS } from './timers.ts';
export type * from './types.ts';
