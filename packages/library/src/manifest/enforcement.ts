/**
 * What the Node host can promise about each capability (D29), in one place: every output that
 * shows a plugin's capabilities (the host's report, the CLI, the registry's web pages) takes its
 * labels from here, so the promise and the mechanism cannot drift apart. It lives in the
 * library, not in the host, because the registry service may import only the library.
 * - `enforced`: Node's permission model refuses the operation in the plugin's process.
 * - `brokered`: the plugin has no direct way in; it asks the host, which checks the request.
 * - `declared only`: nothing stops the plugin; the declaration is information for the user.
 * In-process mode enforces nothing: every capability is `not enforced`.
 */
import type { PluginLanguage } from '../core/profile-schema.ts';
import { CAPABILITIES, type Capability, RAW_SOCKETS_NOTE } from './capabilities.ts';

/** How a Node host runs a plugin: in its own process (`isolated`) or in the host's. */
export type HostMode = 'in-process' | 'isolated';
/** What the host can promise about one capability (see the list above). */
export type EnforcementLabel = 'enforced' | 'brokered' | 'declared only' | 'not enforced';

/** One capability's promise in one mode, with the reason a user can read. */
export interface CapabilityLabel {
	capability: Capability | 'environment' | 'raw_sockets' | 'signals';
	label: EnforcementLabel;
	/** Why, in one line a user can read. */
	why: string;
}

const ISOLATED: Readonly<Record<Capability, Omit<CapabilityLabel, 'capability'>>> = {
	network: {
		label: 'brokered',
		why: 'api.fetch reaches only the origins the manifest lists in network_allow',
	},
	filesystem_read: {
		label: 'enforced',
		why: "reads are limited to the plugin's own directory and the paths the host grants",
	},
	filesystem_write: {
		label: 'enforced',
		why: 'writes go only to the plugin data directory, and only when declared',
	},
	config_read: {
		label: 'declared only',
		why: "settings reach the plugin only through the host's API, which decides what to share",
	},
	config_write: {
		label: 'declared only',
		why: "settings change only through the host's API, which decides what to accept",
	},
	subprocess: {
		label: 'enforced',
		why: 'child processes and workers only when declared and consented',
	},
	native_code: {
		label: 'enforced',
		why: 'native addons and WASI only when declared and consented',
	},
};

/**
 * Whether these labels describe the host at all. Only a host whose plugins are JavaScript runs
 * them in the Node host; a Python host (Picard, the built-in profile) runs them in its own
 * interpreter, where Node's permission model has nothing to say and a note about it would only
 * mislead. The profile's `plugin_language` tells which kind of host it is.
 */
export function nodeEnforcementApplies(profile: { pluginLanguage?: PluginLanguage }): boolean {
	return profile.pluginLanguage === 'javascript';
}

/** The labels for one mode, in the manifest's order, then what is not a declared capability. */
export function capabilityLabels(mode: HostMode): CapabilityLabel[] {
	if (mode === 'in-process') {
		return [
			...CAPABILITIES.map((capability) => ({
				capability,
				label: 'not enforced' as const,
				why: "in-process plugins run with the host's own rights",
			})),
			{
				capability: 'environment',
				label: 'not enforced',
				why: "in-process plugins see the host's environment",
			},
			{ capability: 'raw_sockets', label: 'not enforced', why: RAW_SOCKETS_NOTE },
			{ capability: 'signals', label: 'not enforced', why: RAW_SOCKETS_NOTE },
		];
	}
	return [
		...CAPABILITIES.map((capability) => ({ capability, ...ISOLATED[capability] })),
		{
			capability: 'environment',
			label: 'enforced',
			why: 'the plugin process starts with an empty environment',
		},
		{
			capability: 'raw_sockets',
			label: 'declared only',
			why: `${RAW_SOCKETS_NOTE}: Node 20's permission model does not cover the network`,
		},
		{
			capability: 'signals',
			label: 'declared only',
			why: `${RAW_SOCKETS_NOTE}: process.kill is removed before the plugin loads, but the permission model does not cover signals`,
		},
	];
}

/** One line per capability for a terminal, with the mode's own warning first. */
export function describeEnforcement(mode: HostMode): string[] {
	const head =
		mode === 'in-process'
			? 'mode: in-process (NOT ENFORCED: plugins run with the host’s own rights)'
			: 'mode: isolated (one process per plugin under Node’s permission model)';
	return [
		head,
		...capabilityLabels(mode).map(
			({ capability, label, why }) => `  ${capability}: ${label} (${why})`,
		),
	];
}
