/**
 * What a plugin can reach, in classes a user can weigh (issue 9 §4): the D20 capabilities plus
 * the sensitive classes no manifest key covers (dynamic code, secrets, persistence). Each rule's
 * findings are evidence of at most one class; the judgement (`judge.ts`) reads them over the
 * whole plugin, so where in the code a capability is reached does not matter, only that it is.
 */
import type { Capability } from '../../manifest/capabilities.ts';
import type { RuleId } from '../rules/catalog.ts';

export const REACH_CLASSES = [
	'network',
	'host-network',
	'process',
	'fs-write',
	'data-write',
	'native',
	'dynamic-code',
	'secrets',
	'host-config',
	'persistence',
	'host-files',
	'other-apps',
] as const;
export type ReachClass = (typeof REACH_CLASSES)[number];

export interface ReachClassInfo {
	/** Words for messages: "can reach <what>". */
	readonly what: string;
	/** The D20 capability that declares it; none for classes no manifest key covers. */
	readonly capability?: Capability;
	/**
	 * Undeclared, it is a high finding: an honest plugin either declares it or never needs it.
	 * Non-sensitive classes (the host's own web service) stay at the D20 comparison's severity.
	 */
	readonly sensitive: boolean;
}

export const CLASS_INFO: Readonly<Record<ReachClass, ReachClassInfo>> = {
	network: { what: 'the network outside the host’s API', capability: 'network', sensitive: true },
	'host-network': {
		what: 'the network through the host’s web service',
		capability: 'network',
		sensitive: false,
	},
	process: { what: 'starting programs', capability: 'subprocess', sensitive: true },
	'fs-write': {
		what: 'writing files outside its data directory',
		capability: 'filesystem_write',
		sensitive: true,
	},
	'data-write': {
		what: 'writing files in its own data directory',
		capability: 'filesystem_write',
		sensitive: false,
	},
	native: { what: 'native code', capability: 'native_code', sensitive: true },
	'dynamic-code': { what: 'running code built or loaded at run time', sensitive: true },
	secrets: { what: 'secrets and credential stores', sensitive: true },
	'host-config': {
		what: 'changing the host’s settings',
		capability: 'config_write',
		sensitive: true,
	},
	// Judged by their own rules (persistence-write, host-tamper), not as capabilities.
	persistence: { what: 'start-up and persistence locations', sensitive: false },
	'host-files': { what: 'the host’s configuration or plugin files', sensitive: false },
	'other-apps': { what: 'other programs’ code or configuration', sensitive: false },
};

/**
 * Which class each rule's findings are evidence of. The `network` rule is split by the host
 * table in `judge.ts` (the host's web service is `host-network`), and `fs-write` findings whose
 * line writes into the plugin's data directory are not evidence of writing outside it.
 */
export const RULE_CLASS: Readonly<Partial<Record<RuleId, ReachClass>>> = {
	network: 'network',
	'reach-network': 'network',
	'exfil-endpoint': 'network',
	'reverse-shell': 'process',
	'process-spawn': 'process',
	'process-shell': 'process',
	'process-stager': 'process',
	'process-dropped': 'process',
	'reach-process': 'process',
	'fs-write': 'fs-write',
	'fs-delete': 'fs-write',
	'path-traversal': 'fs-write',
	'reach-fs-write': 'fs-write',
	'native-ffi': 'native',
	'native-binary': 'native',
	'reach-native': 'native',
	'code-exec': 'dynamic-code',
	'code-exec-decoded': 'dynamic-code',
	'code-exec-remote': 'dynamic-code',
	'dynamic-import': 'dynamic-code',
	'obfuscation-marshal': 'dynamic-code',
	'reach-dynamic-code': 'dynamic-code',
	'secret-store': 'secrets',
	'secret-path': 'secrets',
	'host-password': 'secrets',
	'reach-secrets': 'secrets',
	'config-write': 'host-config',
	'reach-persistence': 'persistence',
	'reach-host-files': 'host-files',
	'reach-other-apps': 'other-apps',
};
