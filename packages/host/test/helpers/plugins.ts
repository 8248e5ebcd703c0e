/** Plugin directories for host tests: a real MANIFEST.toml and an entry module, in a temp dir. */
import { randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

export function tempDir(prefix = 'vouch-host-'): string {
	return mkdtempSync(join(tmpdir(), prefix));
}

export interface PluginSource {
	name: string;
	uuid?: string;
	/** The entry module's text (written as index.mjs). */
	code?: string;
	/** A fixture directory to copy instead of `code`. */
	fixture?: string;
	capabilities?: Record<string, boolean>;
	networkAllow?: string[];
}

/** Writes a plugin directory under `root` and returns its path and UUID. */
export function writePlugin(root: string, source: PluginSource): { dir: string; uuid: string } {
	const uuid = source.uuid ?? randomUUID();
	const dir = join(root, source.name);
	mkdirSync(dir, { recursive: true });
	// The suite's mirror (scripts/test-build.mjs) may hold a fixture as a link to the original.
	if (source.fixture !== undefined)
		cpSync(join(FIXTURES, source.fixture), dir, { recursive: true, dereference: true });
	if (source.code !== undefined) writeFileSync(join(dir, 'index.mjs'), source.code);
	const lines = [
		`uuid = "${uuid}"`,
		`name = "${source.name}"`,
		`description = "The ${source.name} test plugin"`,
		'api = ["3.0"]',
		'entry = "index.mjs"',
	];
	if (source.networkAllow !== undefined)
		lines.push(`network_allow = ${JSON.stringify(source.networkAllow)}`);
	lines.push('[capabilities]');
	for (const [key, value] of Object.entries(source.capabilities ?? {}))
		lines.push(`${key} = ${value}`);
	writeFileSync(join(dir, 'MANIFEST.toml'), `${lines.join('\n')}\n`);
	return { dir, uuid };
}
