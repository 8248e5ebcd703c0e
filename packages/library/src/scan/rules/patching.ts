/**
 * Monkey-patching what the host and other plugins call. A plugin runs in the host's process,
 * so replacing a function of the host's own modules (its plugin manager, its web service), the
 * module table entry of a shared module, or a function of Node's core modules puts the
 * plugin's code inside every later call the host makes: its checks stop checking, and its
 * requests (with their credentials) pass through the plugin. An honest plugin calls the host;
 * it never rewrites it. Python's shared network modules are medium: tests patch them with
 * fakes honestly (the standard library's own tests do it some twenty times).
 */
import type { Node } from 'web-tree-sitter';
import type { FileContext, Matcher } from '../engine/matcher.ts';
import { positionalArgs } from '../engine/syntax.ts';
import { type HostScanTable, PICARD_SCAN_TABLE } from '../reach/host.ts';
import { callMatchers } from './shared.ts';

/** Modules other code imports from the same process, whose replacement other code gets. */
const SHARED_PY =
	/^(?:requests|urllib3?|http|socket|ssl|httpx|aiohttp|builtins|subprocess|importlib)(?:\.|$)/;
/**
 * Module table entries whose swap intercepts the traffic of everything that imports them later;
 * packages swap their own submodules honestly (`importlib` does, for `importlib._bootstrap`).
 */
const NETWORK_PY = /^(?:requests|urllib3?|http|socket|ssl|httpx|aiohttp)(?:\.|$)/;
/** Node's core modules and its module system: no plugin has a reason to rewrite them. */
const CORE_JS =
	/^(?:https?|http2|net|tls|dns|dgram|child_process|fs|crypto|module|vm|worker_threads|os|zlib|stream)\.[\w$]/;
/** Receivers a class writes its own state on. */
const OWN = /^(?:self|cls|this)\b/;

type Judge = 'host' | 'shared' | undefined;

function judge(name: string, family: 'python' | 'js', host: HostScanTable): Judge {
	if (host.modules.test(name) && name.includes('.')) return 'host';
	if (family === 'js')
		return CORE_JS.test(name) && !/^process\.env\b/.test(name) ? 'host' : undefined;
	return SHARED_PY.test(name) && name.includes('.') ? 'shared' : undefined;
}

function reportPatch(node: Node, name: string, how: Judge, file: FileContext): void {
	if (how === undefined) return;
	file.report(
		'host-tamper',
		node,
		`${name} is replaced, so the host and other plugins run this plugin's code when they call it`,
		how === 'shared' ? { severity: 'medium' } : {},
	);
}

/** `module.attr = value`, `module.Class.method = value`, `sys.modules['requests'] = spy`. */
function checkTarget(target: Node, file: FileContext, host: HostScanTable): void {
	if (OWN.test(target.text)) return;
	if (target.type === 'subscript') {
		const holder = target.childForFieldName('value');
		const key = target.childForFieldName('subscript');
		if (holder === null || key === null || file.nameOf(holder) !== 'sys.modules') return;
		const module = file.stringValue(key);
		if (module === undefined) return;
		const how = host.modules.test(module) || NETWORK_PY.test(module) ? 'host' : undefined;
		reportPatch(target, `the module table entry of ${module}`, how, file);
		return;
	}
	if (!file.isResolved(target)) return;
	const name = file.nameOf(target);
	if (name !== undefined) reportPatch(target, name, judge(name, file.family, host), file);
}

/** `setattr(manager.PluginManager, 'check', yes)`, `Object.defineProperty(https, 'request', ...)`. */
function checkSetter(
	call: Node,
	args: Node | null,
	name: string | undefined,
	file: FileContext,
	host: HostScanTable,
) {
	const setter =
		name === 'builtins.setattr' ||
		name === 'Object.defineProperty' ||
		name === 'Reflect.set' ||
		name === 'Object.assign';
	if (!setter) return;
	const [holder, key] = positionalArgs(args);
	if (holder === undefined || !file.isResolved(holder)) return;
	const base = file.nameOf(holder);
	if (base === undefined) return;
	const member = key === undefined ? undefined : file.stringValue(key);
	const full = name === 'Object.assign' || member === undefined ? `${base}.*` : `${base}.${member}`;
	reportPatch(call, full, judge(full, file.family, host), file);
}

export function patchingMatchers(host: HostScanTable = PICARD_SCAN_TABLE): Matcher[] {
	return [
		{
			family: 'python',
			query: '(assignment left: [(attribute) (subscript)] @patched)',
			check: ({ patched }, file) => patched !== undefined && checkTarget(patched, file, host),
		},
		{
			family: 'js',
			query: '(assignment_expression left: (member_expression) @patched)',
			check: ({ patched }, file) => patched !== undefined && checkTarget(patched, file, host),
		},
		...callMatchers(['python', 'js'], (site, file) =>
			checkSetter(site.call, site.args, site.name, file, host),
		),
	];
}
