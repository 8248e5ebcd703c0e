/**
 * What the hidden-path rules count as dangerous: namespaces whose members are processes, code
 * execution, imports or native code, and the callables themselves. A computed lookup on one of
 * these, or one of these callables handed around as a value, hides a capability.
 */
import type { LanguageFamily } from '../engine/matcher.ts';
import type { RuleId } from './catalog.ts';

/** Modules and objects whose members, picked by a hidden name, reach a capability. */
/**
 * `sys` and `socket` are left out: picking `sys.stdout` or `socket.AF_INET` by name is common
 * and harmless, and a disguised name on them is still `hidden-name`.
 */
const PY_NAMESPACES = new Set([
	'os',
	'posix',
	'nt',
	'subprocess',
	'builtins',
	'importlib',
	'ctypes',
	'_ctypes',
	'pty',
	'runpy',
	'commands',
]);

const JS_NAMESPACES = new Set([
	'globalThis',
	'process',
	'module',
	'require',
	'child_process',
	'fs',
	'fs.promises',
	'vm',
	'worker_threads',
	'inspector',
	'net',
	'dgram',
	'dns',
	'http',
	'https',
	'Function',
	'Reflect',
]);

export function isDangerousNamespace(family: LanguageFamily, name: string | undefined): boolean {
	if (name === undefined) return false;
	return (family === 'python' ? PY_NAMESPACES : JS_NAMESPACES).has(name);
}

/** Modules whose name, spelled in pieces, is worth hiding. */
const SENSITIVE_MODULES = new Set([
	'sys',
	'socket',
	'shutil',
	'marshal',
	'pickle',
	'base64',
	'zlib',
	'codecs',
	'webbrowser',
	'urllib',
	'urllib.request',
	'requests',
	'http.client',
	'ftplib',
	'smtplib',
	'telnetlib',
	'keyring',
	'posixpath',
	'multiprocessing',
	'threading',
	'signal',
	'net',
	'http',
	'https',
	'dgram',
	'dns',
	'tls',
	'os.path',
]);

/** A module name worth a finding when it is spelled in pieces. */
export function isSensitiveModule(name: string): boolean {
	return (
		SENSITIVE_MODULES.has(name) ||
		isDangerousNamespace('python', name) ||
		isDangerousNamespace('js', name) ||
		SENSITIVE_MODULES.has(name.replace(/^node:/, ''))
	);
}

/** The rule whose capability a dangerous callable stands for. */
export type CallableKind = Extract<
	RuleId,
	'code-exec' | 'process-spawn' | 'native-ffi' | 'dynamic-import'
>;

const PY_CALLABLES: Readonly<Record<string, CallableKind>> = {
	'builtins.eval': 'code-exec',
	'builtins.exec': 'code-exec',
	'builtins.compile': 'code-exec',
	'builtins.__import__': 'dynamic-import',
	'importlib.import_module': 'dynamic-import',
	'importlib.__import__': 'dynamic-import',
	'runpy.run_path': 'dynamic-import',
	'runpy.run_module': 'dynamic-import',
	'pickle.loads': 'code-exec',
	'pickle.load': 'code-exec',
	'marshal.loads': 'code-exec',
	'marshal.load': 'code-exec',
	'code.interact': 'code-exec',
	'os.system': 'process-spawn',
	'os.popen': 'process-spawn',
	'os.startfile': 'process-spawn',
	'os.posix_spawn': 'process-spawn',
	'os.posix_spawnp': 'process-spawn',
	'posix.system': 'process-spawn',
	'nt.system': 'process-spawn',
	'pty.spawn': 'process-spawn',
	'subprocess.Popen': 'process-spawn',
	'subprocess.call': 'process-spawn',
	'subprocess.check_call': 'process-spawn',
	'subprocess.check_output': 'process-spawn',
	'subprocess.run': 'process-spawn',
	'subprocess.getoutput': 'process-spawn',
	'subprocess.getstatusoutput': 'process-spawn',
	'commands.getoutput': 'process-spawn',
	'ctypes.CDLL': 'native-ffi',
	'ctypes.PyDLL': 'native-ffi',
	'ctypes.WinDLL': 'native-ffi',
	'ctypes.cdll.LoadLibrary': 'native-ffi',
	'ctypes.windll.LoadLibrary': 'native-ffi',
};

const JS_CALLABLES: Readonly<Record<string, CallableKind>> = {
	eval: 'code-exec',
	Function: 'code-exec',
	'vm.runInNewContext': 'code-exec',
	'vm.runInThisContext': 'code-exec',
	'vm.runInContext': 'code-exec',
	'vm.compileFunction': 'code-exec',
	'vm.Script': 'code-exec',
	require: 'dynamic-import',
	'module.require': 'dynamic-import',
	'process.dlopen': 'native-ffi',
	'child_process.exec': 'process-spawn',
	'child_process.execSync': 'process-spawn',
	'child_process.execFile': 'process-spawn',
	'child_process.execFileSync': 'process-spawn',
	'child_process.spawn': 'process-spawn',
	'child_process.spawnSync': 'process-spawn',
	'child_process.fork': 'process-spawn',
};

/** `os.execv`, `os.spawnlp`...: whole families of process starters. */
const PY_PROCESS_FAMILY = /^os\.(?:exec|spawn)[lv]p?e?$/;

export function dangerousCallable(
	family: LanguageFamily,
	name: string | undefined,
): CallableKind | undefined {
	if (name === undefined) return undefined;
	if (family === 'python') {
		if (PY_PROCESS_FAMILY.test(name)) return 'process-spawn';
		return PY_CALLABLES[name];
	}
	return JS_CALLABLES[name];
}

/** Member names that are dangerous whatever object they are read from (for attrgetter). */
export const DANGEROUS_MEMBERS = new Set([
	'system',
	'popen',
	'Popen',
	'check_output',
	'check_call',
	'getoutput',
	'getstatusoutput',
	'spawn',
	'spawnSync',
	'exec',
	'execSync',
	'execFile',
	'execFileSync',
	'execv',
	'execve',
	'execvp',
	'execl',
	'execlp',
	'posix_spawn',
	'eval',
	'compile',
	'__import__',
	'import_module',
	'run_path',
	'run_module',
	'loads',
	'CDLL',
	'LoadLibrary',
	'dlopen',
	'binding',
	'mainModule',
	'constructor',
	'__subclasses__',
	'__globals__',
	'__builtins__',
	'__code__',
	'child_process',
]);
