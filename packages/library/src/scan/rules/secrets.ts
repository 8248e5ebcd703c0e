/**
 * Environment and secret access: environment variables, the system password store, strings
 * naming credential files or browser profiles, and the host's own settings (Picard's
 * `config.setting` / `config.persist`, `api.global_config`), with password and token keys
 * singled out. Everything sensitive here is also a `secret` source for the exfiltration check.
 */
import type { Node } from 'web-tree-sitter';
import type { FileContext, Matcher } from '../engine/matcher.ts';
import { positionalArgs } from '../engine/syntax.ts';
import { SECRET_HINT, secretPlace } from './secret-paths.ts';
import { callMatchers, NameTable, shown, stringMatchers } from './shared.ts';

const PY_ENV = new Set(['os.environ', 'os.environb', 'posix.environ', 'nt.environ']);
const PY_ENV_CALLS = new NameTable(['os.getenv', 'os.getenvb']);
const JS_ENV = new Set(['process.env', 'Deno.env', 'Bun.env']);

const PY_SECRET_STORE = new NameTable([
	'keyring.*',
	'secretstorage.*',
	'win32cred.*',
	'gi.repository.Secret.*',
	'keychain.*',
]);
const JS_SECRET_STORE = new NameTable(['keytar.*', '@napi-rs/keyring.*', 'keychain.*']);

/** Who the user is and what the machine is called: harmless alone, telling when sent out. */
const PY_IDENTITY = new NameTable([
	'getpass.getuser',
	'os.getlogin',
	'socket.gethostname',
	'platform.node',
	'platform.uname',
	'os.uname',
	'uuid.getnode',
]);
const JS_IDENTITY = new NameTable(['os.userInfo', 'os.hostname', 'os.networkInterfaces']);

/** Settings keys that hold credentials. */
const PASSWORD_KEY =
	/(?:^|[_.])(?:pass(?:word|wd)?|token|secret|api_?key|apikey|credentials?|oauth\w*|auth_?key|session_?id|cookies?)(?:[_.]|$)/i;

/** The host's settings objects: Picard's `config.setting`/`config.persist`, `api.global_config`. */
const HOST_CONFIG = /(?:^|\.)(?:setting|persist|global_config|global_config\.setting)$/;

const ASSIGNED = /^\s*(?:=(?!=)|[-+*/|&%^]=|\/\/=|\*\*=|>>=|<<=)/;

function secretSource(file: FileContext, node: Node, label: string): void {
	file.flowSource(node, 'secret', label);
}

/** `from os import environ` names the variable without reading it. */
function inImportLine(node: Node, file: FileContext): boolean {
	const lineStart = file.text.lastIndexOf('\n', node.startIndex) + 1;
	return /^\s*(?:from|import)\s/.test(file.text.slice(lineStart, lineStart + 200));
}

function checkEnvName(node: Node, file: FileContext, env: ReadonlySet<string>): void {
	const name = file.nameOf(node);
	if (name === undefined || !env.has(name)) return;
	if (node.type === 'identifier' && inImportLine(node, file)) return;
	file.report('env-access', node, `${name} reads environment variables`);
	secretSource(file, node, 'environment variables');
}

function checkString(node: Node, file: FileContext): void {
	// An f-string or template with substitutions: judge its literal parts as written.
	const value = file.stringValue(node) ?? node.text.replace(/^[A-Za-z]*['"`]+|['"`]+$/g, '');
	const place = secretPlace(value);
	if (place === undefined) return;
	file.report('secret-path', node, `names ${place}`);
	secretSource(file, node, place);
}

function checkHostSetting(sub: Node, holder: Node, key: Node, file: FileContext): void {
	if (!HOST_CONFIG.test(holder.text.replace(/\s+/g, ''))) return;
	const literal = file.stringValue(key);
	if (literal !== undefined && PASSWORD_KEY.test(literal)) {
		file.report('host-password', sub, `reads the host setting '${literal}'`);
		secretSource(file, sub, "the host's password settings");
		return;
	}
	const written = ASSIGNED.test(file.text.slice(sub.endIndex, sub.endIndex + 8));
	const what = literal === undefined ? 'a host setting' : `the host setting '${literal}'`;
	if (written) file.report('config-write', sub, `changes ${what}`);
	else file.report('config-read', sub, `reads ${what}`);
}

const pythonCalls = callMatchers(['python'], (site, file) => {
	const what = shown(site.name, site.callee.text);
	if (PY_ENV_CALLS.hasName(site.name)) {
		file.report('env-access', site.call, `${what} reads environment variables`);
		secretSource(file, site.call, 'environment variables');
	} else if (PY_SECRET_STORE.hasName(site.name)) {
		file.report('secret-store', site.call, `${what} reads the system password store`);
		secretSource(file, site.call, 'the system password store');
	} else if (PY_IDENTITY.hasName(site.name)) {
		secretSource(file, site.call, 'the user or machine identity');
	} else if (site.method === 'get' || site.method === 'value') {
		// `config.setting.get('password')`, `QSettings().value('token')`.
		const holder = site.callee.childForFieldName('object');
		const key = positionalArgs(site.args)[0];
		const literal = key === undefined ? undefined : file.stringValue(key);
		const hostish =
			holder !== null &&
			(HOST_CONFIG.test(holder.text.replace(/\s+/g, '')) || /QSettings/.test(holder.text));
		if (hostish && literal !== undefined && PASSWORD_KEY.test(literal)) {
			file.report('host-password', site.call, `reads the host setting '${literal}'`);
			secretSource(file, site.call, "the host's password settings");
		}
	}
});

const jsCalls = callMatchers(['js'], (site, file) => {
	const what = shown(site.name, site.callee.text);
	if (JS_SECRET_STORE.hasName(site.name)) {
		file.report('secret-store', site.call, `${what} reads the system password store`);
		secretSource(file, site.call, 'the system password store');
	} else if (JS_IDENTITY.hasName(site.name)) {
		secretSource(file, site.call, 'the user or machine identity');
	}
});

export const secretMatchers: readonly Matcher[] = [
	...pythonCalls,
	...jsCalls,
	{
		family: 'python',
		query: '(attribute) @env ((identifier) @env (#any-of? @env "environ" "environb"))',
		needs: /environ/,
		check: ({ env }, file) => env !== undefined && checkEnvName(env, file, PY_ENV),
	},
	{
		family: 'js',
		query: '(member_expression) @env (subscript_expression) @env',
		needs: /\benv\b/,
		check: ({ env }, file) => env !== undefined && checkEnvName(env, file, JS_ENV),
	},
	...stringMatchers(SECRET_HINT, checkString),
	{
		family: 'python',
		query: '(subscript value: (_) @holder subscript: (_) @key) @sub',
		needs: /\b(?:setting|persist|global_config)\b/,
		check({ sub, holder, key }, file) {
			if (sub !== undefined && holder !== undefined && key !== undefined) {
				checkHostSetting(sub, holder, key, file);
			}
		},
	},
];
