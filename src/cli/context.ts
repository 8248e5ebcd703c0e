/**
 * Turns the common options into what a command works on: the host profile and, for
 * commands that need one, the loaded registry with its index.
 */
import { homedir } from 'node:os';
import { VouchError } from '../core/errors.ts';
import { type HostProfile, resolveProfile } from '../core/profile.ts';
import { buildRegistryIndex, type RegistryIndex } from '../registry/index.ts';
import { readRegistrySource } from '../registry/load.ts';
import type { Registry } from '../registry/model.ts';
import { parseRegistryText } from '../registry/parse.ts';
import type { CommonOptions } from './common-options.ts';
import type { CliIO } from './io.ts';
import type { Output } from './output.ts';
import { createProgress } from './progress.ts';

export interface LoadedRegistry {
	registry: Registry;
	index: RegistryIndex;
	/** Where it was read from (credentials redacted by the loader's label). */
	source: string;
	/** Nothing signs a registry yet: every source is shown as unsigned. */
	signed: false;
}

export type RegistryErrorCode = 'REGISTRY_UNAVAILABLE' | 'REGISTRY_UNSIGNED_NOT_ALLOWED';

/** Errors that mean "this source is broken": the spec stops the fallback chain on them. */
const CHAIN_STOPPING = new Set(['REGISTRY_PARSE_ERROR', 'BLACKLIST_INVALID', 'REGISTRY_TOO_LARGE']);

export function profileFor(options: CommonOptions, io: CliIO): HostProfile {
	return resolveProfile({
		...(options.profile === undefined ? {} : { nameOrFile: options.profile }),
		env: io.env,
		cwd: io.cwd,
		home: io.env.HOME ?? homedir(),
	});
}

/** Sources in order: `--registry`, else the profile's list (VOUCH_REGISTRY_URL first). */
export function registrySources(options: CommonOptions, profile: HostProfile): string[] {
	return options.registry === undefined ? [...profile.registryUrls] : [options.registry];
}

export async function loadRegistry(
	options: CommonOptions,
	profile: HostProfile,
	io: CliIO,
	output: Output,
): Promise<LoadedRegistry> {
	if (!profile.allowUnsigned) {
		throw new VouchError<RegistryErrorCode>(
			'REGISTRY_UNSIGNED_NOT_ALLOWED',
			`The host profile "${profile.name}" accepts only signed registries, and this version of Vouch cannot verify signatures yet.`,
			{ hint: 'Use a profile with allow_unsigned = true, such as the built-in "picard" profile.' },
		);
	}
	const sources = registrySources(options, profile);
	const progress = createProgress(io, !output.json);
	const failures: string[] = [];
	let lastError: unknown;
	for (const location of sources) {
		progress.start(`Reading the registry from ${location}`);
		try {
			const read = await readRegistrySource(location, { fetch: io.fetch, cwd: io.cwd });
			const registry = parseRegistryText(read.text, {
				label: read.label,
				cwd: io.cwd,
				...(read.format === undefined ? {} : { format: read.format }),
			});
			progress.stop();
			return { registry, index: buildRegistryIndex(registry), source: read.label, signed: false };
		} catch (error) {
			progress.stop();
			lastError = error;
			if (error instanceof VouchError && CHAIN_STOPPING.has(error.code)) throw error;
			failures.push(`${location}: ${error instanceof Error ? error.message : String(error)}`);
		}
	}
	throw new VouchError<RegistryErrorCode>(
		'REGISTRY_UNAVAILABLE',
		`No registry could be read.\n  ${failures.join('\n  ')}`,
		{
			hint: 'Pass --registry <file|url>, or set VOUCH_REGISTRY_URL.',
			cause: lastError,
		},
	);
}

/** Prints the registry's own load warnings (skipped plugins, unknown trust levels). */
export function printRegistryWarnings(loaded: LoadedRegistry, output: Output): void {
	for (const warning of loaded.registry.warnings) output.note(`warning: ${warning.message}`);
}
