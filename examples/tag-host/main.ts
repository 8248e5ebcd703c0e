/**
 * A small tag-processing CLI with plugins. It sets up a host profile in a state directory,
 * installs the three plugins beside this file (as local directories), then loads them with
 * `createPluginHost` and prints the tags they produced and everything the host reported.
 *
 *   node --conditions=vouch-source --import tsx examples/tag-host/main.ts \
 *     [--mode isolated|in-process] [--state DIR] title="a day in the life" artist=Beatles
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPluginHost, type HostMode } from '@vouch/host';
import { createVouch, sanitizeText } from '@vouch/library';

const PLUGINS = ['title-case', 'overreacher', 'crasher'];
const here = fileURLToPath(new URL('.', import.meta.url));

const args = process.argv.slice(2);
const option = (name: string) => {
	const at = args.indexOf(name);
	if (at === -1) return undefined;
	const [, value] = args.splice(at, 2);
	return value;
};
const mode = (option('--mode') ?? 'isolated') as HostMode;
if (mode !== 'isolated' && mode !== 'in-process')
	throw new Error('--mode is isolated or in-process');
const state = option('--state') ?? mkdtempSync(join(tmpdir(), 'vouch-tag-host-'));
const tags: Record<string, string> = {};
for (const pair of args) {
	const [key, ...value] = pair.split('=');
	if (key !== undefined && value.length > 0) tags[key] = value.join('=');
}

// The host's own profile: a local registry file (an empty blacklist, fresh) and its state dirs.
mkdirSync(state, { recursive: true });
writeFileSync(
	join(state, 'registry.json'),
	JSON.stringify({ api_version: '3.0', plugins: [], blacklist: [] }),
);
writeFileSync(
	join(state, 'tag-host.toml'),
	[
		'name = "tag-host"',
		'api_versions = ["3.0"]',
		'registry_urls = ["registry.json"]',
		'allow_unsigned = true',
		'categories = ["metadata"]',
		'plugins_dir = "plugins"',
		'data_dir = "data"',
		'cache_dir = "cache"',
		'config_dir = "config"',
		'',
	].join('\n'),
);
const env = { ...process.env, XDG_DATA_HOME: join(state, 'xdg') };
const vouch = createVouch({ profile: join(state, 'tag-host.toml'), cwd: state, env });
const installed = new Set((await vouch.list()).map((row) => row.plugin.name));
for (const name of PLUGINS) {
	const dir = join(here, 'plugins', name);
	// These are the example's own plugins, read before shipping: their findings are accepted here.
	if (!installed.has(name)) await vouch.install(dir, { yes: true, acceptFindings: true });
}

const host = createPluginHost({
	vouch,
	mode,
	api: {
		tags: () => ({ ...tags }),
		setTag: (key: string, value: string) => {
			tags[String(key)] = String(value);
		},
	},
	onNotice: (notice) => console.log(`[${notice.kind}] ${notice.message}`),
});
await host.start();
await host.stop();
for (const plugin of host.plugins()) {
	console.log(
		`plugin ${plugin.name}: ${plugin.state}${plugin.reason === undefined ? '' : ` (${plugin.reason})`}`,
	);
}
for (const [key, value] of Object.entries(tags))
	console.log(`tag ${key}=${sanitizeText(value, { maxLength: 200 })}`);
