/**
 * Capability declarations (D20): an optional `[capabilities]` table of booleans in which a
 * plugin says what it will reach. Nothing can enforce them on a Python plugin; they exist so
 * that install can show them, an update that adds one can ask again, and `vouch scan` can
 * flag code that reaches further than declared.
 */
import { fieldPath, type IssueCollector, quote } from './issues.ts';
import { isTable } from './values.ts';

export const CAPABILITIES = [
	'network',
	'filesystem_read',
	'filesystem_write',
	'config_read',
	'config_write',
	'subprocess',
	'native_code',
] as const;
/** One capability a manifest can declare in its `[capabilities]` table (D20). */
export type Capability = (typeof CAPABILITIES)[number];

/** What a plugin holding each capability can reach, in words a user can weigh before install. */
export const CAPABILITY_DESCRIPTIONS: Readonly<Record<Capability, string>> = {
	network:
		'Talk to any server on the internet or your local network, and send out anything it can read.',
	filesystem_read:
		'Read files the application can read, beyond your music: documents, keys, browser data.',
	filesystem_write: 'Create, change or delete files the application can write to.',
	config_read: "Read the application's settings, including other plugins' settings and tokens.",
	config_write: "Change the application's settings, including security-relevant ones.",
	subprocess: 'Start other programs on your computer, with your permissions.',
	native_code: 'Load compiled code that runs outside the language runtime and cannot be reviewed.',
};

/**
 * What a Node host can say about raw sockets: Node 20's permission model does not cover the
 * network, so a plugin's own sockets cannot be stopped (only `api.fetch` is checked). Every
 * output that shows a plugin's capabilities for a Node host carries this label.
 */
export const RAW_SOCKETS_NOTE = 'not enforceable on Node 20';

export type CapabilityDeclaration =
	| { status: 'undeclared' }
	| {
			status: 'declared';
			/** Set to `true`. */
			granted: Capability[];
			/** Set to `false`. */
			denied: Capability[];
			/** Not mentioned in the table: unknown, so never treat these as denied. */
			unlisted: Capability[];
	  };

export function isCapability(value: string): value is Capability {
	return (CAPABILITIES as readonly string[]).includes(value);
}

/**
 * Reads the `[capabilities]` value. Unknown keys and non-boolean values are errors: a typo
 * such as `netwrok = false` must not silently leave `network` undeclared.
 */
export function readCapabilities(value: unknown, issues: IssueCollector): CapabilityDeclaration {
	if (value === undefined) {
		issues.warning(
			'CAPABILITIES_UNDECLARED',
			'capabilities',
			'The manifest has no [capabilities] table, so users are told the plugin does not say what it needs.',
		);
		return { status: 'undeclared' };
	}
	if (!isTable(value)) {
		issues.error(
			'INVALID_CAPABILITY',
			'capabilities',
			`Field 'capabilities' must be a table of booleans (${CAPABILITIES.join(', ')}).`,
		);
		return { status: 'undeclared' };
	}
	const granted: Capability[] = [];
	const denied: Capability[] = [];
	for (const key of Object.keys(value)) {
		const field = fieldPath('capabilities', key);
		if (!isCapability(key)) {
			issues.error(
				'INVALID_CAPABILITY',
				field,
				`Unknown capability ${quote(key)}; known capabilities are ${CAPABILITIES.join(', ')}.`,
			);
			continue;
		}
		const flag = value[key];
		if (typeof flag !== 'boolean') {
			issues.error('INVALID_CAPABILITY', field, `Capability '${key}' must be true or false.`);
			continue;
		}
		(flag ? granted : denied).push(key);
	}
	// Report in the canonical order, whatever order the author wrote them in.
	const order = (list: Capability[]) => CAPABILITIES.filter((c) => list.includes(c));
	return {
		status: 'declared',
		granted: order(granted),
		denied: order(denied),
		unlisted: CAPABILITIES.filter((c) => !granted.includes(c) && !denied.includes(c)),
	};
}
