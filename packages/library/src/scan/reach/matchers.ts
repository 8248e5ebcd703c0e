/**
 * The per-file half of reach inference: evidence the call rules do not record. Imports of
 * capability modules, references to dangerous functions in any value position (arguments,
 * defaults, decorators, containers, `.bind`/`.call`/`.apply`, returns), secret environment
 * reads, strings naming persistence locations or the host's files, and paths that climb out of
 * the plugin's own directory. Each is an info finding of a `reach-*` rule; `judge.ts` weighs
 * them over the whole plugin. At most a few per class and file are kept: one is enough to reach.
 */
import type { Node } from 'web-tree-sitter';
import type { FileContext, Matcher } from '../engine/matcher.ts';
import { normaliseModule } from '../engine/names.ts';
import { positionalArgs } from '../engine/syntax.ts';
import { patchingMatchers } from '../rules/patching.ts';
import { callMatchers, JS_STRING, PY_STRING } from '../rules/shared.ts';
import { reachOfName } from './callables.ts';
import { evidence } from './evidence.ts';
import { type HostScanTable, PICARD_SCAN_TABLE } from './host.ts';
import { joinedPathMatchers } from './joined-paths.ts';
import { capabilityModule } from './modules.ts';
import {
	hostPlace,
	networkCommand,
	otherAppPlace,
	PLACE_HINT,
	persistencePlace,
	SECRET_ENV_NAME,
	secretStore,
} from './places.ts';
import { referenceMatchers } from './references.ts';

// ---- imports -------------------------------------------------------------------------------

function reachModule(file: FileContext, node: Node, module: string): void {
	const row = capabilityModule(file.family, module);
	if (row !== undefined) {
		evidence(file, row.reach, node, `imports ${row.module} (${row.reason})`);
		return;
	}
	const named = reachOfName(file.family, module);
	if (named !== undefined) evidence(file, named.reach, node, `imports ${named.why}`);
}

function pythonImport(node: Node, file: FileContext): void {
	if (node.type === 'import_statement') {
		for (const name of node.childrenForFieldName('name')) {
			const target = name.type === 'aliased_import' ? name.childForFieldName('name') : name;
			if (target !== null) reachModule(file, node, target.text.replace(/\s+/g, ''));
		}
		return;
	}
	const moduleNode = node.childForFieldName('module_name');
	if (moduleNode === null || moduleNode.type === 'relative_import') return;
	const module = moduleNode.text.replace(/\s+/g, '');
	if (capabilityModule('python', module) !== undefined) {
		reachModule(file, node, module);
		return;
	}
	// `from urllib import request`, `from os import system`.
	for (const name of node.childrenForFieldName('name')) {
		const target = name.type === 'aliased_import' ? name.childForFieldName('name') : name;
		if (target !== null) reachModule(file, node, `${module}.${target.text.replace(/\s+/g, '')}`);
	}
}

function jsImport(node: Node, file: FileContext): void {
	const source = node.childForFieldName('source');
	const module = source === null ? undefined : file.stringValue(source);
	if (module !== undefined) reachModule(file, node, normaliseModule(module));
}

/** `require('net')`, `import('child_process')`, `__import__('socket')` with a fixed name. */
const loaderCalls = [
	...callMatchers(['python'], (site, file) => {
		if (site.name !== 'builtins.__import__' && site.name !== 'importlib.import_module') return;
		const first = positionalArgs(site.args)[0];
		const module = first === undefined ? undefined : file.stringValue(first);
		if (module !== undefined) reachModule(file, site.call, module);
	}),
	...callMatchers(['js'], (site, file) => {
		const isLoader =
			site.callee.type === 'import' || site.name === 'require' || site.name === 'module.require';
		if (!isLoader) return;
		const first = positionalArgs(site.args)[0];
		const module = first === undefined ? undefined : file.stringValue(first);
		if (module !== undefined) reachModule(file, site.call, normaliseModule(module));
	}),
];

// ---- secrets in the environment ------------------------------------------------------------

const PY_ENV = new Set(['os.environ', 'os.environb', 'posix.environ', 'nt.environ']);
const JS_ENV = new Set(['process.env', 'Deno.env', 'Bun.env']);
/** The whole environment copied into something that can be sent: every secret at once. */
const WHOLE_BEFORE =
	/(?:\bdict|\bstr|\brepr|\blist|\bsorted|\bjson\.dumps?|\bpickle\.dumps?|\bJSON\.stringify|\bObject\.(?:keys|entries|values|assign)|\bbtoa|\bencodeURIComponent|\bString)\s*\(\s*(?:[\w.]+\s*,\s*)?$|\bin\s+$|\*\*\s*$|\.update\(\s*$/;
const WHOLE_AFTER = /^\s*\.\s*(?:items|keys|values|__repr__|__str__)\s*\(/;
const KEY_AFTER =
	/^\s*(?:\[\s*(['"`])([\w-]+)\1|\.\s*(?:get|pop|setdefault)\(\s*(['"])([\w-]+)\3|\.\s*([A-Za-z_]\w*))/;

function checkEnvironment(node: Node, file: FileContext, env: ReadonlySet<string>): void {
	const name = file.nameOf(node);
	if (name === undefined || !env.has(name)) return;
	const after = file.text.slice(node.endIndex, node.endIndex + 120);
	const before = file.text.slice(Math.max(0, node.startIndex - 40), node.startIndex);
	if (WHOLE_BEFORE.test(before) || WHOLE_AFTER.test(after)) {
		evidence(file, 'secrets', node, `reads the whole environment (${name}), tokens included`);
		return;
	}
	const key = KEY_AFTER.exec(after);
	const variable = key?.[2] ?? key?.[4] ?? (file.family === 'js' ? key?.[5] : undefined);
	if (variable !== undefined && SECRET_ENV_NAME.test(variable)) {
		evidence(file, 'secrets', node, `reads the secret environment variable ${variable}`);
	}
}

const getenvCalls = callMatchers(['python'], (site, file) => {
	if (site.name !== 'os.getenv' && site.name !== 'os.getenvb') return;
	const first = positionalArgs(site.args)[0];
	const variable = first === undefined ? undefined : file.stringValue(first);
	if (variable !== undefined && SECRET_ENV_NAME.test(variable)) {
		evidence(file, 'secrets', site.call, `reads the secret environment variable ${variable}`);
	}
});

// ---- places --------------------------------------------------------------------------------

function checkPlace(node: Node, file: FileContext, host: HostScanTable): void {
	const value = file.stringValue(node) ?? node.text.replace(/^[A-Za-z]*['"`]+|['"`]+$/g, '');
	checkPlaceText(value, node, file, host);
}

function checkPlaceText(value: string, node: Node, file: FileContext, host: HostScanTable): void {
	const persistence = persistencePlace(value);
	if (persistence !== undefined) evidence(file, 'persistence', node, `names ${persistence}`);
	const place = hostPlace(value, host);
	if (place !== undefined) evidence(file, 'host-files', node, `names ${place}`);
	const app = otherAppPlace(value, host);
	if (app !== undefined) evidence(file, 'other-apps', node, `names ${app}`);
	const store = secretStore(value);
	if (store !== undefined) evidence(file, 'secrets', node, `names ${store}`);
	// The network reached through a program: `curl ... | sh` in a shell command.
	if (networkCommand(value)) evidence(file, 'network', node, 'a command that uses the network');
}

/** A string literal added to something: the cheap test before sums are folded. */
const LITERAL_SUM = /['"`]\s*\+|\+\s*[rbfu]{0,2}['"`]/i;

/** Most pieces of one sum read; a longer chain is read up to there. */
const MAX_SUM_PIECES = 64;

/**
 * The runs of known text in a chain of `+`: `home() + "/.config/auto" + "start"` gives
 * `/.config/autostart`. An unknown piece ends a run, so no place is read across it.
 */
function literalRuns(node: Node, file: FileContext): string[] {
	const pieces: (string | undefined)[] = [];
	const visit = (part: Node): void => {
		if (pieces.length >= MAX_SUM_PIECES) return;
		const left = part.childForFieldName('left');
		const right = part.childForFieldName('right');
		if (
			part.type === node.type &&
			part.childForFieldName('operator')?.text === '+' &&
			left !== null &&
			right !== null
		) {
			visit(left);
			visit(right);
			return;
		}
		pieces.push(file.stringValue(part) ?? file.foldString(part));
	};
	visit(node);
	const runs: string[] = [];
	let run: string[] = [];
	for (const piece of [...pieces, undefined]) {
		if (piece !== undefined) {
			run.push(piece);
			continue;
		}
		// One literal alone is already read where it stands.
		if (run.length > 1) runs.push(run.join(''));
		run = [];
	}
	return runs;
}

function checkFoldedPlace(node: Node, file: FileContext, host: HostScanTable): void {
	if (node.parent?.type === node.type) return;
	if (node.childForFieldName('operator')?.text !== '+') return;
	for (const run of literalRuns(node, file)) checkPlaceText(run, node, file, host);
}

/** `dirname(dirname(__file__))`, `Path(__file__).parent.parent`, `join(__dirname, '..')`. */
const CLIMB_BEFORE =
	/dirname\(\s*(?:[\w.]*(?:abspath|realpath)\(\s*)?[\w.]*dirname\(\s*(?:[\w.]*(?:abspath|realpath)\(\s*)?$/;
const CLIMB_AFTER =
	/^\s*\)*\s*(?:\.\s*(?:resolve|absolute)\(\s*\)\s*)?\.\s*(?:parent\s*\.\s*parent\b|parents\s*\[\s*[1-9])|^\s*\)*\s*,\s*(['"`])\.\.(?:[/\\]|\1)|^\s*\+\s*['"`][/\\]\.\./;

function checkClimb(node: Node, file: FileContext): void {
	const before = file.text.slice(Math.max(0, node.startIndex - 120), node.startIndex);
	const after = file.text.slice(node.endIndex, node.endIndex + 60);
	if (CLIMB_BEFORE.test(before) || CLIMB_AFTER.test(after)) {
		evidence(
			file,
			'host-files',
			node,
			'builds a path above its own directory, among other plugins',
		);
	}
}

// ---- other programs' installed code -------------------------------------------------------

/** Calls that give where the interpreter's packages, or another package, are installed. */
const PACKAGE_LOCATIONS =
	/^(?:site\.getsitepackages|site\.getusersitepackages|sysconfig\.get_paths?|distutils\.sysconfig\.get_python_lib|require\.resolve|module\.createRequire\.resolve)$/;

const packageLocations = callMatchers(['python', 'js'], (site, file) => {
	if (site.name === undefined || !PACKAGE_LOCATIONS.test(site.name)) return;
	// `require.resolve('./x')` is the plugin's own file.
	const first = positionalArgs(site.args)[0];
	if (site.name.endsWith('resolve') && /^['"`]\./.test(first?.text ?? '')) return;
	evidence(file, 'other-apps', site.call, `${site.name} locates installed packages’ code`);
});

/** `picard.__file__`, `picard.__path__`: where the host's own code is installed. */
function checkHostLocation(node: Node, file: FileContext, host: HostScanTable): void {
	const object = node.childForFieldName('object');
	if (object === null || !file.isResolved(object)) return;
	const name = file.nameOf(object);
	if (name !== undefined && host.modules.test(name)) {
		evidence(file, 'other-apps', node, `${node.text} locates the host’s installed code`);
	}
}

// ---- the host's protected settings ---------------------------------------------------------

/** `QSettings("MusicBrainz", "Picard").setValue("setting/use_proxy", True)`: the store itself. */
const qsettingsWrites = (host: HostScanTable) =>
	callMatchers(['python'], (site, file) => {
		if (site.method !== 'setValue' || !/QSettings/.test(file.text)) return;
		const first = positionalArgs(site.args)[0];
		const literal = first === undefined ? undefined : file.stringValue(first);
		// The host's own store: its key layout, or the store opened under the host's name.
		if (literal === undefined) return;
		if (!host.settingsKeyPrefix.test(literal) && !host.settingsStore.test(file.text)) return;
		const key = literal.replace(host.settingsKeyPrefix, '');
		if (host.protectedSettings.test(key)) {
			file.report(
				'host-tamper',
				site.call,
				`changes the host setting '${key}', which guards the user`,
			);
		}
	});

function checkSettingWrite(holder: Node, key: Node, file: FileContext, host: HostScanTable): void {
	if (!host.settingsObjects.test(holder.text.replace(/\s+/g, ''))) return;
	const literal = file.stringValue(key);
	if (literal === undefined || !host.protectedSettings.test(literal)) return;
	file.report('host-tamper', key, `changes the host setting '${literal}', which guards the user`);
}

/** The matchers, for one host's table (Picard's by default). */
export function reachMatchers(host: HostScanTable = PICARD_SCAN_TABLE): Matcher[] {
	return [
		...loaderCalls,
		...getenvCalls,
		...referenceMatchers,
		...qsettingsWrites(host),
		...packageLocations,
		{
			family: 'python',
			query:
				'(attribute attribute: (identifier) @dunder (#any-of? @dunder "__file__" "__path__")) @location',
			needs: /__(?:file|path)__/,
			check: ({ location }, file) =>
				location !== undefined && checkHostLocation(location, file, host),
		},
		...patchingMatchers(host),
		...joinedPathMatchers((value, node, file) => checkPlaceText(value, node, file, host)),
		{
			family: 'python',
			query: '(import_statement) @import (import_from_statement) @import',
			check: ({ import: node }, file) => node !== undefined && pythonImport(node, file),
		},
		{
			family: 'js',
			// `export { execSync as run } from 'child_process'` loads the module as an import does.
			query: '(import_statement) @import (export_statement source: (_)) @import',
			check: ({ import: node }, file) => node !== undefined && jsImport(node, file),
		},
		{
			// `sys.meta_path.insert(0, finder)`: an import hook decides what later imports run.
			family: 'python',
			query: '(attribute) @hook',
			needs: /\b(?:meta_path|path_hooks)\b/,
			check({ hook }, file) {
				const name = hook === undefined ? undefined : file.nameOf(hook);
				if (hook !== undefined && (name === 'sys.meta_path' || name === 'sys.path_hooks')) {
					evidence(file, 'dynamic-code', hook, `${name} installs an import hook`);
				}
			},
		},
		{
			// `require.extensions['.txt'] = ...`: a loader that compiles whatever it is handed.
			family: 'js',
			query: '(member_expression) @hook',
			needs: /_?extensions\b/,
			check({ hook }, file) {
				const name = hook === undefined ? undefined : file.nameOf(hook);
				const reach = reachOfName('js', name);
				if (
					hook !== undefined &&
					reach?.reach === 'dynamic-code' &&
					/extensions$/.test(name ?? '')
				) {
					evidence(file, 'dynamic-code', hook, `${name} installs a loader for required files`);
				}
			},
		},
		{
			family: 'python',
			query: '(attribute) @env ((identifier) @env (#any-of? @env "environ" "environb"))',
			needs: /environ/,
			check: ({ env }, file) => env !== undefined && checkEnvironment(env, file, PY_ENV),
		},
		{
			family: 'js',
			query: '(member_expression) @env (subscript_expression) @env',
			needs: /\benv\b/,
			check: ({ env }, file) => env !== undefined && checkEnvironment(env, file, JS_ENV),
		},
		{
			family: 'python',
			query: PY_STRING,
			needs: PLACE_HINT,
			check: ({ string }, file) => string !== undefined && checkPlace(string, file, host),
		},
		{
			family: 'js',
			query: JS_STRING,
			needs: PLACE_HINT,
			check: ({ string }, file) => string !== undefined && checkPlace(string, file, host),
		},
		{
			// A regular expression literal for tokens or wallet addresses: what stealers grep for.
			family: 'js',
			query: '(regex) @string',
			needs: /\{24|\{84\}|\{40\}|bc1|\[13\]/,
			check: ({ string }, file) => string !== undefined && checkPlace(string, file, host),
		},
		// A place spelled in pieces (`".config/" + "auto" + "start"`) is the same place once
		// folded; the outermost sum of literals is read whole.
		{
			family: 'python',
			query: '(binary_operator) @sum',
			needs: LITERAL_SUM,
			check: ({ sum }, file) => sum !== undefined && checkFoldedPlace(sum, file, host),
		},
		{
			family: 'js',
			query: '(binary_expression) @sum',
			needs: LITERAL_SUM,
			check: ({ sum }, file) => sum !== undefined && checkFoldedPlace(sum, file, host),
		},
		{
			family: 'python',
			query: '((identifier) @here (#eq? @here "__file__"))',
			needs: /__file__/,
			check: ({ here }, file) => here !== undefined && checkClimb(here, file),
		},
		{
			family: 'js',
			query: '((identifier) @here (#any-of? @here "__dirname" "__filename"))',
			needs: /__dirname|__filename/,
			check: ({ here }, file) => here !== undefined && checkClimb(here, file),
		},
		{
			family: 'python',
			query: '(assignment left: (subscript value: (_) @holder subscript: (_) @key))',
			needs: /\b(?:setting|persist|global_config)\b/,
			check({ holder, key }, file) {
				if (holder !== undefined && key !== undefined) checkSettingWrite(holder, key, file, host);
			},
		},
	];
}
