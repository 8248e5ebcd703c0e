/**
 * The per-file half of reach inference: evidence the call rules do not record. Imports of
 * capability modules, references to dangerous functions in any value position (arguments,
 * defaults, decorators, containers, `.bind`/`.call`/`.apply`, returns), secret environment
 * reads, strings naming persistence locations or the host's files, and paths that climb out of
 * the plugin's own directory. Each is an info finding of a `reach-*` rule; `judge.ts` weighs
 * them over the whole plugin. At most a few per class and file are kept: one is enough to reach.
 */
import type { Node } from 'web-tree-sitter';
import type { FileState } from '../engine/file-context.ts';
import type { FileContext, Matcher } from '../engine/matcher.ts';
import { normaliseModule } from '../engine/names.ts';
import { positionalArgs } from '../engine/syntax.ts';
import type { RuleId } from '../rules/catalog.ts';
import { callMatchers, JS_STRING, PY_STRING } from '../rules/shared.ts';
import { reachOfName } from './callables.ts';
import type { ReachClass } from './classes.ts';
import { type HostScanTable, PICARD_SCAN_TABLE } from './host.ts';
import { capabilityModule } from './modules.ts';
import {
	hostPlace,
	networkCommand,
	PLACE_HINT,
	persistencePlace,
	SECRET_ENV_NAME,
	secretStore,
} from './places.ts';

/** Findings of one class kept per file: the judgement needs one, the report a few places. */
const PER_FILE = 3;

/** Marks a reference passed along as a value, which import-time analysis treats as a call. */
export const PASSED_AS_VALUE = 'handed to a call as a value';

const RULE: Readonly<Partial<Record<ReachClass, RuleId>>> = {
	network: 'reach-network',
	process: 'reach-process',
	'fs-write': 'reach-fs-write',
	native: 'reach-native',
	'dynamic-code': 'reach-dynamic-code',
	secrets: 'reach-secrets',
	persistence: 'reach-persistence',
	'host-files': 'reach-host-files',
};

const counts = new WeakMap<FileContext, Map<string, number>>();

/**
 * Reports one piece of evidence, within the per-file bound. References passed along as values
 * are counted apart, so imports listed first never crowd out the one the import-time pass needs.
 */
function evidence(
	file: FileContext,
	reach: ReachClass,
	node: Node,
	message: string,
	passed = false,
): void {
	const rule = RULE[reach];
	if (rule === undefined) return;
	let perClass = counts.get(file);
	if (perClass === undefined) {
		perClass = new Map();
		counts.set(file, perClass);
	}
	const key = passed ? `${reach}:passed` : reach;
	const seen = perClass.get(key) ?? 0;
	if (seen >= PER_FILE) return;
	perClass.set(key, seen + 1);
	file.report(rule, node, message);
}

/** Globals JS code reaches without an import; a file defining its own is calling that one. */
const JS_GLOBAL_ROOTS = new Set([
	'eval',
	'Function',
	'fetch',
	'XMLHttpRequest',
	'WebSocket',
	'EventSource',
	'navigator',
	'WebAssembly',
	'process',
	'Bun',
	'Deno',
]);

const required = new WeakMap<FileContext, Map<string, boolean>>();

/**
 * `const fs = require('fs')` binds no alias (the name is the module's own), so the resolver
 * does not count `fs` as resolved; the file loading the module of that name says it is.
 */
function loadsModule(file: FileContext, name: string): boolean {
	let known = required.get(file);
	if (known === undefined) {
		known = new Map();
		required.set(file, known);
	}
	let found = known.get(name);
	if (found === undefined) {
		const escaped = name.replace(/[$]/g, '\\$');
		const loader = new RegExp(
			`\\b${escaped}\\s*=\\s*(?:await\\s+)?(?:require|import)\\s*\\(\\s*['"\`](?:node:)?${escaped}['"\`]|import\\s+(?:\\*\\s+as\\s+)?${escaped}\\s+from\\s*['"](?:node:)?${escaped}['"]`,
		);
		found = loader.test(file.text);
		known.set(name, found);
	}
	return found;
}

/** The expression names something imported or a builtin, not a local variable of that name. */
function resolvedRoot(file: FileContext, node: Node): boolean {
	const names = (file as Partial<FileState>).names;
	if (names?.isResolvedRoot(node)) return true;
	if (file.family !== 'js') return false;
	const root = /^[A-Za-z_$][\w$]*/.exec(node.text)?.[0];
	if (root === undefined) return false;
	if (JS_GLOBAL_ROOTS.has(root)) return !file.isShadowed(root);
	return loadsModule(file, root);
}

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

/** Evaluators whose calls code-exec judges: a fixed string run is not dynamic code. */
const JUDGED_BY_LITERAL = new Set([
	'builtins.eval',
	'builtins.exec',
	'builtins.compile',
	'eval',
	'Function',
]);

/** Calls of the listed functions the category rules do not know (`process.execve`, `shelve.open`). */
const listedCalls = callMatchers(['python', 'js'], (site, file) => {
	if (site.name === undefined || JUDGED_BY_LITERAL.has(site.name)) return;
	if (!resolvedRoot(file, site.callee)) return;
	const reach = reachOfName(file.family, site.name);
	if (reach !== undefined && reach.why === site.name.replace(/^builtins\./, '')) {
		evidence(file, reach.reach, site.call, `calls ${reach.why}`);
	}
});

// ---- references ----------------------------------------------------------------------------

const PY_VALUE = '[(identifier) (attribute)]';
const PY_REFERENCES = `
(call function: (_) @fn arguments: (argument_list ${PY_VALUE} @ref))
(call function: (_) @fn arguments: (argument_list (keyword_argument value: ${PY_VALUE} @ref)))
(decorator ${PY_VALUE} @ref)
(class_definition superclasses: (argument_list ${PY_VALUE} @stored))
(default_parameter value: ${PY_VALUE} @stored)
(typed_default_parameter value: ${PY_VALUE} @stored)
(list ${PY_VALUE} @stored)
(tuple ${PY_VALUE} @stored)
(set ${PY_VALUE} @stored)
(pair value: ${PY_VALUE} @stored)
(assignment left: (attribute) right: ${PY_VALUE} @stored)
(assignment left: (subscript) right: ${PY_VALUE} @stored)
(return_statement ${PY_VALUE} @stored)
(lambda body: ${PY_VALUE} @stored)
(conditional_expression ${PY_VALUE} @stored)
(boolean_operator ${PY_VALUE} @stored)
`;

const JS_VALUE = '[(identifier) (member_expression)]';
const JS_REFERENCES = `
(call_expression function: (_) @fn arguments: (arguments ${JS_VALUE} @ref))
(new_expression constructor: (_) @fn arguments: (arguments ${JS_VALUE} @ref))
(call_expression function: (member_expression object: ${JS_VALUE} @ref property: (property_identifier) @method (#any-of? @method "call" "apply")))
(call_expression function: (member_expression object: ${JS_VALUE} @stored property: (property_identifier) @method (#eq? @method "bind")))
(assignment_pattern right: ${JS_VALUE} @stored)
(array ${JS_VALUE} @stored)
(pair value: ${JS_VALUE} @stored)
(variable_declarator value: ${JS_VALUE} @stored)
(assignment_expression right: ${JS_VALUE} @stored)
(return_statement ${JS_VALUE} @stored)
(arrow_function body: ${JS_VALUE} @stored)
(sequence_expression ${JS_VALUE} @stored)
(ternary_expression ${JS_VALUE} @stored)
(binary_expression ${JS_VALUE} @stored)
`;

/** Tokens the referenced names end with; the query runs only around them. */
const PY_REFERENCE_HINT =
	/\.\s*(?:system|popen\d?|startfile|fork(?:pty)?|posix_spawnp?|exec[lv]p?e?|spawn[lv]p?e?|create_subprocess_\w+|FunctionType|CodeType|Unpickler|unsafe_load\w*|load_(?:source|module|compiled|dynamic)|spec_from_file_location|module_from_spec|\w+FileLoader|meta_path|path_hooks|rmtree|dlopen|urlopen|urlretrieve|UnsafeLoader|C?Loader)\b|\b(?:os|posix|nt)\s*\.\s*(?:remove|unlink|renames?|replace|rmdir|removedirs|symlink|link|chmod|truncate)\b|\bshutil\s*\.\s*(?:move|copy\w*)\b|\b(?:c?[Pp]ickle|_pickle|dill|cloudpickle|marshal)\s*\.\s*loads?\b|(?<![.\w])(?:eval|exec|compile|__import__|ProcessPoolExecutor)\b/;
const JS_REFERENCE_HINT =
	/\b(?:eval|Function|fetch|XMLHttpRequest|WebSocket|EventSource|sendBeacon|WebAssembly|Deno|Bun|spawn\w*|exec\w*|fork|dlopen|binding|Command|write\w*|append\w*|createWriteStream|copyFile\w*|rm\w*|unlink\w*|rename\w*|symlink\w*)\b/;

const CONSTANT = /^[A-Z][A-Z0-9_]*$/;
/** Calls that wrap a function without calling it, and names that are data, not functions. */
const WRAPPERS =
	/^(?:staticmethod|classmethod|property|(?:functools\.)?(?:partial|partialmethod|wraps|lru_cache|cache)|(?:typing\.)?cast)$/;
const NOT_CALLABLE = new Set(['sys.meta_path', 'sys.path_hooks']);

function checkReference(node: Node, file: FileContext, passed: boolean, fn?: Node): void {
	if (!resolvedRoot(file, node)) return;
	const name = file.nameOf(node);
	const reach = reachOfName(file.family, name);
	if (reach === undefined || name === undefined) return;
	// `stdout=subprocess.PIPE`, `socket.AF_INET`: a constant of the module, not a function to call.
	const called =
		passed &&
		!CONSTANT.test(name.slice(name.lastIndexOf('.') + 1)) &&
		!NOT_CALLABLE.has(name) &&
		!(fn !== undefined && WRAPPERS.test(fn.text));
	const how = called ? PASSED_AS_VALUE : 'kept as a value';
	evidence(file, reach.reach, node, `${how}, to be called out of sight: ${reach.why}`, called);
}

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
	const persistence = persistencePlace(value);
	if (persistence !== undefined) evidence(file, 'persistence', node, `names ${persistence}`);
	const place = hostPlace(value, host);
	if (place !== undefined) evidence(file, 'host-files', node, `names ${place}`);
	const store = secretStore(value);
	if (store !== undefined) evidence(file, 'secrets', node, `names ${store}`);
	// The network reached through a program: `curl ... | sh` in a shell command.
	if (networkCommand(value)) evidence(file, 'network', node, 'a command that uses the network');
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
		...listedCalls,
		...qsettingsWrites(host),
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
			family: 'python',
			query: PY_REFERENCES,
			needs: PY_REFERENCE_HINT,
			check({ ref, stored, fn }, file) {
				if (ref !== undefined) checkReference(ref, file, true, fn);
				else if (stored !== undefined) checkReference(stored, file, false);
			},
		},
		{
			family: 'js',
			query: JS_REFERENCES,
			needs: JS_REFERENCE_HINT,
			check({ ref, stored, fn }, file) {
				if (ref !== undefined) checkReference(ref, file, true, fn);
				else if (stored !== undefined) checkReference(stored, file, false);
			},
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
