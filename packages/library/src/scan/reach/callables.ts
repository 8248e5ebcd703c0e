/**
 * Functions of multi-purpose modules (and builtins) that reach a capability: a reference to
 * one, called or not, reaches it. `map(os.system, cmds)`, `atexit.register(os.system, cmd)`,
 * `def f(run=os.system)`, `cp.exec.bind(null, cmd)` and `.then(eval)` never call it where the
 * rules look for calls, but the plugin can reach it all the same.
 */
import type { LanguageFamily } from '../engine/matcher.ts';
import { LOADS_RUN_CODE } from '../rules/code-exec.ts';
import { OS_PROGRAM_STARTERS } from '../rules/process.ts';
import { NameTable } from '../rules/shared.ts';
import type { ReachClass } from './classes.ts';
import { capabilityModule } from './modules.ts';

const PY: Readonly<Partial<Record<ReachClass, readonly string[]>>> = {
	process: [
		'os.system',
		'os.popen',
		'os.popen2',
		'os.popen3',
		'os.popen4',
		'os.startfile',
		'os.fork',
		'os.forkpty',
		...OS_PROGRAM_STARTERS,
		'posix.system',
		'nt.system',
		'platform.popen',
		'asyncio.create_subprocess_shell',
		'asyncio.create_subprocess_exec',
		'concurrent.futures.ProcessPoolExecutor',
	],
	'dynamic-code': [
		'builtins.eval',
		'builtins.exec',
		'builtins.compile',
		'builtins.__import__',
		'types.FunctionType',
		'types.CodeType',
		...LOADS_RUN_CODE,
		'shelve.open',
		// Handed to yaml.load, they build any Python object the document names.
		'yaml.UnsafeLoader',
		'yaml.Loader',
		'yaml.CLoader',
		'imp.load_source',
		'imp.load_module',
		'imp.load_compiled',
		'importlib.util.spec_from_file_location',
		'importlib.util.module_from_spec',
		'importlib.machinery.SourceFileLoader',
		'importlib.machinery.SourcelessFileLoader',
		// An import hook decides what every later import runs.
		'sys.meta_path',
		'sys.path_hooks',
		// Debugging, timing and testing tools that run a string of source, a docstring's
		// examples or a file as code: `timeit.timeit(stmt)` is `exec(stmt)` by another name.
		'timeit.timeit',
		'timeit.repeat',
		'timeit.Timer',
		'cProfile.run',
		'cProfile.runctx',
		'cProfile.Profile',
		'profile.run',
		'profile.runctx',
		'profile.Profile',
		'pdb.run',
		'pdb.runeval',
		'pdb.runctx',
		'pdb.Pdb',
		'bdb.Bdb',
		'trace.Trace',
		'doctest.run_docstring_examples',
		'doctest.testmod',
		'doctest.testfile',
		'doctest.DocTestRunner',
		'doctest.DocTestSuite',
		'doctest.DocFileSuite',
		// Import and look up a dotted name given as text, or import a file as a module.
		'pkgutil.resolve_name',
		'pydoc.locate',
		'pydoc.importfile',
		'pydoc.safeimport',
		// A socket listener whose configurations can build any object the sender names.
		'logging.config.listen',
	],
	'fs-write': [
		'os.remove',
		'os.unlink',
		'os.rename',
		'os.renames',
		'os.replace',
		'os.rmdir',
		'os.removedirs',
		'os.symlink',
		'os.link',
		'os.chmod',
		'os.truncate',
		'shutil.rmtree',
		'shutil.move',
		'shutil.copy',
		'shutil.copy2',
		'shutil.copyfile',
		'shutil.copytree',
		// The Windows registry is where run keys and file associations live: a write there
		// changes the machine as a file write does.
		'winreg.SetValue',
		'winreg.SetValueEx',
		'winreg.CreateKey',
		'winreg.CreateKeyEx',
		'winreg.DeleteKey',
		'winreg.DeleteValue',
		'_winreg.SetValue',
		'_winreg.SetValueEx',
		'_winreg.CreateKey',
		'_winreg.CreateKeyEx',
	],
	native: ['*.dlopen', 'imp.load_dynamic', 'importlib.machinery.ExtensionFileLoader'],
	network: ['urllib.urlopen', 'urllib.urlretrieve'],
};

const JS: Readonly<Partial<Record<ReachClass, readonly string[]>>> = {
	process: [
		'Bun.spawn',
		'Bun.spawnSync',
		'Deno.run',
		'Deno.Command',
		'process.binding',
		// Replaces the running process with another program (Node 22.15+).
		'process.execve',
	],
	'dynamic-code': [
		'eval',
		'Function',
		'WebAssembly.instantiate',
		'WebAssembly.compile',
		'WebAssembly.Module',
		'WebAssembly.Instance',
		// Loaders for required files by extension: whatever they compile runs as code.
		'require.extensions',
		'module.constructor._extensions',
		'Module._extensions',
		'module._extensions',
	],
	'fs-write': [
		'fs.writeFile',
		'fs.writeFileSync',
		'fs.appendFile',
		'fs.appendFileSync',
		'fs.createWriteStream',
		'fs.copyFile',
		'fs.copyFileSync',
		'fs.rm',
		'fs.rmSync',
		'fs.unlink',
		'fs.unlinkSync',
		'fs.rename',
		'fs.renameSync',
		'fs.symlink',
		'fs.symlinkSync',
		'fs.promises.writeFile',
		'fs.promises.appendFile',
		'fs.promises.rm',
		'fs.promises.unlink',
		'fs.promises.rename',
	],
	native: ['process.dlopen'],
	network: ['fetch', 'XMLHttpRequest', 'WebSocket', 'EventSource', 'navigator.sendBeacon'],
};

function tables(
	source: Readonly<Partial<Record<ReachClass, readonly string[]>>>,
): [ReachClass, NameTable][] {
	return Object.entries(source).map(([reach, names]) => [
		reach as ReachClass,
		new NameTable(names),
	]);
}

const TABLES: Readonly<Record<LanguageFamily, [ReachClass, NameTable][]>> = {
	python: tables(PY),
	js: tables(JS),
};

/** The class a resolved name reaches: a listed function, or anything of a capability module. */
export function reachOfName(
	family: LanguageFamily,
	name: string | undefined,
): { reach: ReachClass; why: string } | undefined {
	if (name === undefined) return undefined;
	for (const [reach, table] of TABLES[family]) {
		const method = name.slice(name.lastIndexOf('.') + 1);
		if (table.hasName(name) || (name.includes('.') && table.hasMethod(method))) {
			return { reach, why: name.replace(/^builtins\./, '') };
		}
	}
	const row = capabilityModule(family, name);
	return row === undefined ? undefined : { reach: row.reach, why: `${row.module}: ${row.reason}` };
}
