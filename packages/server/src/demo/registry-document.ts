/**
 * The demo registry (`plugins.toml`, Picard's own format): every demo plugin but the
 * unregistered one, at its trust level, with the pins of official and trusted releases and a
 * blacklist entry for the blacklisted one.
 *
 * The plugins' `git_url`s are on the service itself (`<base>/git/<id>.git`, git's smart HTTP
 * on 127.0.0.1). They cannot be `file://` paths: a registry fetched over the network may never
 * point installs at files on the user's machine (D11), and a demo that weakened that rule would
 * demonstrate the wrong thing. That is why the document depends on the service's address and is
 * written at each start, once the port is known.
 */
import { join } from 'node:path';
import { writeFileAtomic } from '@vouch/library/internal/core/atomic-fs';
import { sanitizeText } from '@vouch/library/internal/core/sanitize';
import { serverError } from '../errors.ts';
import type { DemoEcosystem, DemoEcosystemPlugin } from './ecosystem.ts';

export const DEMO_REGISTRY_FILE = 'plugins.toml';

/** `http://127.0.0.1:8080` or `.../` → `http://127.0.0.1:8080/`. */
export function normaliseBaseUrl(baseUrl: string): string {
	let url: URL;
	try {
		url = new URL(baseUrl);
	} catch {
		url = new URL('invalid:');
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw serverError(
			'INVALID_OPTIONS',
			`The demo needs the service's http(s) address, not ${sanitizeText(baseUrl, { maxLength: 200 })}.`,
			{ hint: 'Pass the address the service listens on, such as http://127.0.0.1:8787/.' },
		);
	}
	url.search = '';
	url.hash = '';
	if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`;
	return url.toString();
}

/** Where the service serves a demo plugin's repository. */
export function demoGitUrl(baseUrl: string, id: string): string {
	return `${normaliseBaseUrl(baseUrl)}git/${id}.git`;
}

export function demoRegistryToml(ecosystem: DemoEcosystem, baseUrl: string): string {
	const date = ecosystem.createdAt.toISOString().replace(/\.\d{3}Z$/, 'Z');
	const registered = ecosystem.plugins.filter((plugin) => plugin.trust !== 'unregistered');
	const entries = registered.map((plugin) =>
		entryToml(plugin, demoGitUrl(baseUrl, plugin.id), date),
	);
	const blacklist = registered
		.filter((plugin) => plugin.blacklistReason !== undefined)
		.map((plugin) =>
			[
				'[[blacklist]]',
				`uuid = ${str(plugin.uuid)}`,
				`reason = ${str(plugin.blacklistReason ?? '')}`,
				`blacklisted_at = ${str(date)}`,
				'severity = "hard"',
				'',
			].join('\n'),
		);
	return ['api_version = "3.0"', '', ...entries, ...blacklist].join('\n');
}

/** Writes `<dataDir>/plugins.toml` for the service at `baseUrl`; returns its path. */
export async function writeDemoRegistry(
	ecosystem: DemoEcosystem,
	baseUrl: string,
): Promise<string> {
	const file = join(ecosystem.dataDir, DEMO_REGISTRY_FILE);
	await writeFileAtomic(file, demoRegistryToml(ecosystem, baseUrl));
	return file;
}

function entryToml(plugin: DemoEcosystemPlugin, gitUrl: string, date: string): string {
	const lines = [
		'[[plugins]]',
		`id = ${str(plugin.id)}`,
		`uuid = ${str(plugin.uuid)}`,
		`name = ${str(plugin.name)}`,
		`description = ${str(plugin.description)}`,
		`git_url = ${str(gitUrl)}`,
		'categories = ["metadata"]',
		`trust_level = ${str(plugin.trust)}`,
		'authors = ["Vouch demo"]',
		`added_at = ${str(date)}`,
		`updated_at = ${str(date)}`,
		'versioning_scheme = "semver"',
	];
	if (plugin.pinned) {
		const pins = plugin.releases.map(
			(pin) => `  { ref = ${str(pin.ref)}, commit = ${str(pin.commit)}, tree = ${str(pin.tree)} },`,
		);
		lines.push('releases = [', ...pins, ']');
	}
	return `${lines.join('\n')}\n`;
}

/** A TOML basic string: JSON's escapes are a subset TOML reads the same way. */
function str(value: string): string {
	return JSON.stringify(value);
}
