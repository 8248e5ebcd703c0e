/**
 * The Node flags an isolated plugin process starts with (D29): the one place where a declared
 * capability becomes a permission. Everything not granted here is refused by Node's
 * permission model inside the plugin's process.
 */
import { isAbsolute } from 'node:path';
import type { Capability } from '@vouch/library';
import { hostError } from './errors.ts';
import type { PluginPlan } from './plugin-plan.ts';

/** Capabilities that open more than the permission model's default, and need a person's yes. */
export type ConsentedCapability = Extract<Capability, 'subprocess' | 'native_code'>;

export interface PermissionInput {
	plan: PluginPlan;
	/** The runner script the child starts with; it must be readable. */
	runner: string;
	/** Extra real paths the host lets this plugin read. */
	readGrants: readonly string[];
	/** Capabilities a person agreed to for this plugin; only declared ones count. */
	consented: readonly ConsentedCapability[];
	/** Heap cap in MB. */
	heapMb: number;
}

/**
 * A comma separates paths in the permission flags of some Node versions: a granted path with
 * a comma in it could turn into two grants, one of them the file system root.
 */
function grantable(path: string): string {
	if (!isAbsolute(path) || path.includes(',') || path.includes('\0') || path.includes('\n')) {
		throw hostError(
			'INVALID_HOST_OPTIONS',
			'A path granted to a plugin must be absolute, without commas.',
			{
				hint: 'Move the plugin or the granted path to a directory whose path has no comma.',
			},
		);
	}
	return path;
}

export function isolatedNodeFlags(input: PermissionInput): string[] {
	const { plan } = input;
	const declared = new Set(plan.declared);
	const allowed = (capability: ConsentedCapability) =>
		declared.has(capability) && input.consented.includes(capability);
	const flags = [
		'--experimental-permission',
		'--disable-warning=ExperimentalWarning',
		'--disallow-code-generation-from-strings',
		`--max-old-space-size=${Math.max(16, Math.floor(input.heapMb))}`,
		`--allow-fs-read=${grantable(input.runner)}`,
		`--allow-fs-read=${grantable(plan.dir)}`,
		...input.readGrants.map((path) => `--allow-fs-read=${grantable(path)}`),
	];
	if (declared.has('filesystem_write')) {
		flags.push(`--allow-fs-read=${grantable(plan.dataDir)}`);
		flags.push(`--allow-fs-write=${grantable(plan.dataDir)}`);
	}
	if (allowed('subprocess')) flags.push('--allow-child-process', '--allow-worker');
	if (allowed('native_code')) flags.push('--allow-addons', '--allow-wasi');
	// Belt and braces: addons stay off even if a later Node changed the permission default.
	else flags.push('--no-addons');
	return flags;
}
