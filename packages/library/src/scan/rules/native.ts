/**
 * Native code reached from source: ctypes and cffi in Python; process.dlopen, `.node` addons
 * and FFI packages in JavaScript. Shipped binaries are judged by file type elsewhere.
 */
import type { Node } from 'web-tree-sitter';
import type { FileContext, Matcher } from '../engine/matcher.ts';
import { positionalArgs } from '../engine/syntax.ts';
import { callMatchers, NameTable, shown } from './shared.ts';

const PY_FFI_MODULES = /^(?:ctypes|_ctypes|cffi|_cffi_backend)(?:\.|$)/;
/** Loading libraries and poking memory; plain type constructors (`c_int(...)`) add nothing. */
const PY_FFI_CALLS = new NameTable([
	'ctypes.CDLL',
	'ctypes.PyDLL',
	'ctypes.WinDLL',
	'ctypes.OleDLL',
	'ctypes.LibraryLoader',
	'ctypes.cdll.*',
	'ctypes.windll.*',
	'ctypes.oledll.*',
	'ctypes.pydll.*',
	'ctypes.pythonapi.*',
	'ctypes.memmove',
	'ctypes.memset',
	'ctypes.string_at',
	'ctypes.wstring_at',
	'ctypes.cast',
	'ctypes.CFUNCTYPE',
	'ctypes.WINFUNCTYPE',
	'ctypes.util.find_library',
	'_ctypes.dlopen',
	'cffi.FFI',
	'*.dlopen',
	'imp.load_dynamic',
	'importlib.machinery.ExtensionFileLoader',
]);

const JS_FFI_MODULES = /^(?:ffi-napi|ffi|node-ffi|koffi|ref-napi|bindings|node-gyp-build)$/;
const JS_FFI_CALLS = new NameTable([
	'process.dlopen',
	'ffi-napi.*',
	'koffi.*',
	'bindings',
	'node-gyp-build',
]);

/** Calls that make memory executable or write into another process: how shellcode is run. */
const EXECUTABLE_MEMORY =
	/^(?:mprotect|VirtualAlloc|VirtualAllocEx|VirtualProtect|VirtualProtectEx|WriteProcessMemory|CreateRemoteThread|CreateThread|RtlMoveMemory)$/;

function modulesOfPythonImport(node: Node): string[] {
	if (node.type === 'import_from_statement') {
		const module = node.childForFieldName('module_name');
		return module === null ? [] : [module.text.replace(/\s+/g, '')];
	}
	return node.childrenForFieldName('name').map((name) => {
		const target = name.type === 'aliased_import' ? name.childForFieldName('name') : name;
		return (target ?? name).text.replace(/\s+/g, '');
	});
}

function checkPythonImport(node: Node, file: FileContext): void {
	const module = modulesOfPythonImport(node).find((name) => PY_FFI_MODULES.test(name));
	if (module !== undefined) {
		file.report('native-ffi', node, `imports ${module}, which calls native libraries`);
	}
}

function checkJsImport(node: Node, file: FileContext): void {
	const source = node.childForFieldName('source');
	const module = source === null ? undefined : file.stringValue(source);
	if (module !== undefined && (JS_FFI_MODULES.test(module) || module.endsWith('.node'))) {
		file.report('native-ffi', node, `imports ${module}, which loads native code`);
	}
}

export const nativeMatchers: readonly Matcher[] = [
	...callMatchers(['python'], (site, file) => {
		if (EXECUTABLE_MEMORY.test(site.method ?? '')) {
			file.report(
				'native-ffi',
				site.call,
				`${site.method} makes memory executable or writes into a process`,
				{ severity: 'high' },
			);
		} else if (site.name === 'mmap.mmap' && /\bPROT_EXEC\b/.test(site.args?.text ?? '')) {
			// Executable anonymous memory is where shellcode is copied before a ctypes call runs it.
			file.report('native-ffi', site.call, 'mmap maps executable memory', { severity: 'high' });
		} else if (PY_FFI_CALLS.hasName(site.name) || PY_FFI_CALLS.hasMethod(site.method)) {
			file.report('native-ffi', site.call, `${shown(site.name, '')} loads or calls native code`);
		}
	}),
	...callMatchers(['js'], (site, file) => {
		if (JS_FFI_CALLS.hasName(site.name)) {
			file.report('native-ffi', site.call, `${site.name} loads native code`);
			return;
		}
		if (site.name === 'require') {
			const first = positionalArgs(site.args)[0];
			const module = first === undefined ? undefined : file.stringValue(first);
			if (module !== undefined && (JS_FFI_MODULES.test(module) || module.endsWith('.node'))) {
				file.report('native-ffi', site.call, `require('${module}') loads native code`);
			}
		}
	}),
	{
		family: 'python',
		query: '(import_statement) @import (import_from_statement) @import',
		needs: /ctypes|cffi/,
		check: ({ import: node }, file) => node !== undefined && checkPythonImport(node, file),
	},
	{
		family: 'js',
		query: '(import_statement) @import',
		needs: /ffi|koffi|bindings|\.node['"]/,
		check: ({ import: node }, file) => node !== undefined && checkJsImport(node, file),
	},
];
