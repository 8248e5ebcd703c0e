/**
 * Dynamic imports: `__import__`, importlib and loaders of arbitrary files in Python;
 * `require(name)` and `import(name)` with a computed name in JavaScript. They are also `exec`
 * sinks, since importing a decoded name hides what is loaded just as well.
 */
import type { FileContext, Matcher } from '../engine/matcher.ts';
import { positionalArgs } from '../engine/syntax.ts';
import { type CallSite, callMatchers, NameTable, shown } from './shared.ts';

/** Always reported as hidden imports: they load code no import statement names. */
const PY_LOADERS = new NameTable([
	'builtins.__import__',
	'importlib.__import__',
	'importlib.util.spec_from_file_location',
	'importlib.util.module_from_spec',
	'importlib.machinery.SourceFileLoader',
	'importlib.machinery.SourcelessFileLoader',
	'imp.load_source',
	'imp.load_module',
	'imp.load_compiled',
	'runpy.run_path',
	'runpy.run_module',
	'zipimport.zipimporter',
]);

const JS_LOADERS = new NameTable(['module._load', 'Module._load', 'module.Module._load']);

function checkPython(site: CallSite, file: FileContext): void {
	const what = shown(site.name, site.callee.text);
	if (site.name === 'importlib.import_module') {
		const first = positionalArgs(site.args)[0];
		const fixed = first !== undefined && file.stringValue(first) !== undefined;
		if (fixed) {
			file.report('dynamic-import-literal', site.call, `${what} imports a fixed module`);
		} else {
			file.report('dynamic-import', site.call, `${what} imports a module chosen at run time`);
		}
		file.flowSink(site.call, site.args, 'exec', what);
		return;
	}
	if (!PY_LOADERS.hasName(site.name)) return;
	const first = positionalArgs(site.args)[0];
	const module = first === undefined ? undefined : file.stringValue(first);
	const message =
		module === undefined
			? `${what} loads code chosen at run time`
			: `${what} imports '${module}' without an import statement`;
	file.report('dynamic-import', site.call, message);
	file.flowSink(site.call, site.args, 'exec', what);
}

function checkJs(site: CallSite, file: FileContext): void {
	const isImport = site.callee.type === 'import';
	const isRequire = site.name === 'require' || site.name === 'module.require';
	if (isImport || isRequire) {
		const first = positionalArgs(site.args)[0];
		if (first !== undefined && file.stringValue(first) !== undefined) return;
		const what = isImport ? 'import()' : 'require()';
		file.report('dynamic-import', site.call, `${what} loads a module chosen at run time`);
		file.flowSink(site.call, site.args, 'exec', what);
		return;
	}
	if (JS_LOADERS.hasName(site.name)) {
		file.report('dynamic-import', site.call, `${shown(site.name, '')} loads a module directly`);
		file.flowSink(site.call, site.args, 'exec', site.name ?? '');
	}
}

export const dynamicImportMatchers: readonly Matcher[] = [
	...callMatchers(['python'], checkPython),
	...callMatchers(['js'], checkJs),
];
