/**
 * Code loaded or run through the interpreter's machinery rather than an import statement
 * (`hidden-loader`). Python: import hooks (sys.meta_path, sys.path_hooks), runpy, loaders and
 * specs built by hand, function and code objects made at run time, audit and trace hooks,
 * garbage-collector and frame walks to other modules' globals, ctypes reached through other
 * modules. JavaScript: `with` blocks, a Proxy over require or a module, process.getBuiltinModule,
 * the module cache and loader internals, import() of data: and blob: URLs, workers that eval a
 * string, the inspector, WASI and process.dlopen. Formats that execute on load (shelve,
 * jsonpickle, yaml.load without a safe loader) are reported as code execution.
 */
import type { Node } from 'web-tree-sitter';
import type { FileContext, Matcher } from '../engine/matcher.ts';
import { keywordArg, positionalArgs } from '../engine/syntax.ts';
import { dangerousCallable, isDangerousNamespace } from './dangerous.ts';
import { type CallSite, callMatchers, NameTable, shown } from './shared.ts';

/**
 * Loading a file as code or running a module by hand: a visible use of dynamic code, which the
 * capability judgement rates; medium here. The standard library uses them in its own tools.
 */
const PY_FILE_LOADERS = new NameTable([
	'runpy.run_path',
	'runpy.run_module',
	'importlib.util.spec_from_file_location',
	'importlib.util.spec_from_loader',
	'importlib.machinery.SourceFileLoader',
	'importlib.machinery.SourcelessFileLoader',
	'importlib.machinery.ExtensionFileLoader',
	'imp.load_source',
	'imp.load_module',
	'imp.load_compiled',
	'imp.load_dynamic',
	'zipimport.zipimporter',
	'*.exec_module',
	'sys.addaudithook',
	'gc.get_referrers',
	'gc.get_referents',
	'gc.get_objects',
]);

/** Function and code objects made at run time: code that no source line shows. */
const PY_CODE_BUILDERS = new NameTable([
	'types.FunctionType',
	'types.LambdaType',
	'types.CodeType',
]);

/** Tracing hooks see every frame; debuggers and profilers use them, plugins should not. */
const PY_TRACE = new Set([
	'sys.settrace',
	'sys.setprofile',
	'threading.settrace',
	'threading.setprofile',
]);

/** Data formats whose loading calls whatever the data names. */
const PY_EXEC_FORMATS = new NameTable([
	'shelve.open',
	'shelve.DbfilenameShelf',
	'jsonpickle.decode',
	'jsonpickle.loads',
	'pandas.read_pickle',
	'torch.load',
	'joblib.load',
]);

const SAFE_YAML = /SafeLoader|CSafeLoader|BaseLoader|safe_load/;

function checkPythonCall(site: CallSite, file: FileContext): void {
	const what = shown(site.name, site.callee.text);
	if (site.name !== undefined && PY_TRACE.has(site.name)) {
		file.report('hidden-loader', site.call, `${what} installs a hook that sees every frame`, {
			severity: 'medium',
		});
		return;
	}
	if (PY_CODE_BUILDERS.hasName(site.name)) {
		file.report('hidden-loader', site.call, `${what} builds a function from a code object`);
		return;
	}
	if (PY_FILE_LOADERS.hasName(site.name) || PY_FILE_LOADERS.hasMethod(site.method)) {
		file.report(
			'hidden-loader',
			site.call,
			`${what} loads or reaches code without an import statement`,
			{
				severity: 'medium',
			},
		);
		return;
	}
	if (PY_EXEC_FORMATS.hasName(site.name)) {
		file.report('code-exec', site.call, `${what} runs code named by the data it loads`);
		return;
	}
	if (site.name === 'yaml.load' || site.name === 'yaml.load_all') {
		const loader = keywordArg(site.args, 'Loader') ?? positionalArgs(site.args)[1];
		if (loader === undefined || !SAFE_YAML.test(loader.text)) {
			file.report('code-exec', site.call, `${what} without a safe loader runs tags that call code`);
		}
		return;
	}
	// `type(f.__code__)(...)` or `type(lambda: 0)(code, globals())`: a function from a code object.
	if (site.callee.type === 'call') {
		const inner = site.callee.childForFieldName('function');
		const arg = positionalArgs(site.callee.childForFieldName('arguments'))[0];
		if (
			inner !== null &&
			file.nameOf(inner) === 'builtins.type' &&
			arg !== undefined &&
			(arg.type === 'lambda' || /__code__$|\.f_code$/.test(arg.text))
		) {
			file.report('hidden-loader', site.call, 'a function or code object is built from parts');
		}
	}
}

const HOOK_TABLES = new Set(['sys.meta_path', 'sys.path_hooks']);

/** `sys.meta_path.insert(0, finder)`, `sys.path_hooks.append(...)`, `sys.meta_path = [...]`. */
function checkImportHooks(attr: Node, file: FileContext): void {
	const name = file.nameOf(attr);
	if (name === undefined || !HOOK_TABLES.has(name)) return;
	const after = file.text.slice(attr.endIndex, attr.endIndex + 24);
	if (
		!/^\s*(?:\.\s*(?:append|insert|extend|__setitem__|update|setdefault)\s*\(|\[[^\]]*\]\s*=(?!=)|=(?!=)|\+=)/.test(
			after,
		)
	) {
		return;
	}
	file.report(
		'hidden-loader',
		attr,
		`${name} is changed: an import hook decides what code every import runs`,
	);
}

/** `sys._getframe(1).f_back.f_globals[...]`: another module's globals, reached by walking frames. */
function checkFrameWalk(attr: Node, file: FileContext): void {
	const chain = attr.text;
	if (!/_getframe\s*\(|currentframe\s*\(|\.f_back\b|\.tb_frame\b|\.gi_frame\b/.test(chain)) return;
	const after = file.text.slice(attr.endIndex, attr.endIndex + 30);
	// Reading the caller's module name is the usual honest use (namedtuple, enum, logging).
	if (/^\s*(?:\.\s*get\s*\(|\[)\s*['"]__name__['"]/.test(after)) return;
	file.report('hidden-loader', attr, 'walks the call stack to another frame’s globals or builtins');
}

/** ctypes reached through modules that re-export it (`numpy.ctypeslib`, `multiprocessing.sharedctypes`). */
const INDIRECT_CTYPES = /^(?:multiprocessing\.sharedctypes|numpy\.ctypeslib|_ctypes)(?:\.|$)/;

function checkIndirectCtypes(node: Node, file: FileContext): void {
	if (!file.isResolved(node)) return;
	const name = file.nameOf(node);
	if (name === undefined) return;
	if (
		INDIRECT_CTYPES.test(name) ||
		/^(?:multiprocessing|numpy)\.(?:\w+\.)*ctypes(?:\.|$)/.test(name)
	) {
		file.report('hidden-loader', node, `${name} reaches ctypes through another module`);
	}
}

function checkPythonImport(node: Node, file: FileContext): void {
	const text = node.text.replace(/\s+/g, ' ');
	const match =
		/\b(multiprocessing\.sharedctypes|numpy\.ctypeslib)\b|^from (?:multiprocessing|numpy) import (?:.*\b)?(sharedctypes|ctypeslib)\b/.exec(
			text,
		);
	if (match !== null) {
		file.report(
			'hidden-loader',
			node,
			'imports a module that reaches ctypes (native code) indirectly',
		);
	}
}

const JS_INTERNALS =
	/^(?:require\.(?:cache|extensions|main)|module\.(?:_load|_extensions|_resolveFilename|_cache|_pathCache|prototype\._compile|Module\.\w+|constructor\.\w+|_compile|wrap|wrapper)|process\.(?:dlopen|getBuiltinModule|moduleLoadList|_rawDebug|reallyExit)|wasi\.\w+|inspector(?:\.\w+)*)$/;

function checkJsCall(site: CallSite, file: FileContext): void {
	const name = site.name;
	const args = positionalArgs(site.args);
	if (site.callee.type === 'import') {
		const first = args[0];
		const literal = first === undefined ? undefined : file.stringValue(first);
		if (first !== undefined && /^\s*[`'"]?\s*(?:data|blob|https?):/i.test(literal ?? first.text)) {
			file.report(
				'hidden-loader',
				site.call,
				'import() loads code from a data:, blob: or remote URL',
			);
		}
		return;
	}
	if (name === 'require' || name === 'module.require') {
		const module = file.nameOf(site.call);
		if (module === 'inspector' || module === 'wasi' || module === 'inspector.promises') {
			file.report(
				'hidden-loader',
				site.call,
				`require('${module}') can run code in the process from outside`,
			);
		}
		return;
	}
	if (name === 'module.createRequire' || name === 'module.Module.createRequire') {
		file.report(
			'hidden-loader',
			site.call,
			'createRequire makes a second require the code can load modules with',
			{
				severity: 'medium',
			},
		);
		return;
	}
	if (site.isNew && name === 'Proxy') {
		const target = args[0];
		const targetName = target === undefined ? undefined : file.nameOf(target);
		if (isDangerousNamespace('js', targetName)) {
			file.report(
				'hidden-loader',
				site.call,
				`a Proxy wraps ${targetName}, so every use of it runs hidden code`,
			);
		}
		return;
	}
	if (site.isNew && (name === 'worker_threads.Worker' || name === 'Worker')) {
		const options = args[1];
		const first = args[0];
		const evalOption = options !== undefined && /\beval\s*:\s*true\b/.test(options.text);
		const dataUrl = first !== undefined && /^\s*[`'"]\s*data:/i.test(first.text);
		if (evalOption || dataUrl) {
			file.report(
				'hidden-loader',
				site.call,
				'a worker runs a string of code (eval: true or a data: URL)',
			);
		}
		return;
	}
	if (site.isNew && (name === 'module' || name === 'module.Module')) {
		file.report(
			'hidden-loader',
			site.call,
			'a Module is built by hand, to compile code without require',
		);
		return;
	}
	if (name !== undefined && JS_INTERNALS.test(name)) {
		file.report(
			'hidden-loader',
			site.call,
			`${name} reaches the module loader or the runtime’s internals`,
		);
	}
}

function checkJsMember(member: Node, file: FileContext): void {
	const name = file.nameOf(member);
	if (
		name === undefined ||
		!/^(?:require\.(?:cache|extensions)|module\.(?:_cache|_extensions|_load|prototype\._compile|Module\._\w+))$/.test(
			name,
		)
	) {
		return;
	}
	file.report('hidden-loader', member, `${name} reaches the module loader's internals`);
}

/**
 * What the host and every other module call: replacing one runs the plugin's code in their
 * place. Settings-like members (`os.name`, `sys.excepthook`, `builtins._`) are left out; tests
 * and tools change them honestly.
 */
const REPLACED = new Set([
	'builtins.__import__',
	'builtins.open',
	'builtins.eval',
	'builtins.exec',
	'builtins.compile',
	'builtins.input',
	'sys.breakpointhook',
]);

/** `builtins.__import__ = shim`, `sys.breakpointhook = os.system`, `os.system = wrapper`. */
function checkHookAssignment(target: Node, file: FileContext): void {
	if (!file.isResolved(target)) return;
	const name = file.nameOf(target);
	if (name === undefined) return;
	if (REPLACED.has(name) || dangerousCallable('python', name) !== undefined) {
		file.report(
			'hidden-loader',
			target,
			`${name} is replaced, so code the host and other plugins call runs this instead`,
		);
	}
}

export const loaderMatchers: readonly Matcher[] = [
	{
		family: 'python',
		query: '(assignment left: (attribute) @target)',
		needs:
			/\b(?:builtins|__builtins__|os|posix|subprocess|importlib|pty|runpy|ctypes)\s*\.\s*\w+\s*=(?!=)|\bbreakpointhook\s*=(?!=)/,
		check: ({ target }, file) => target !== undefined && checkHookAssignment(target, file),
	},
	...callMatchers(['python'], checkPythonCall),
	...callMatchers(['js'], checkJsCall),
	{
		family: 'python',
		query: '(attribute) @attr',
		needs: /\b(?:meta_path|path_hooks)\b/,
		check: ({ attr }, file) => attr !== undefined && checkImportHooks(attr, file),
	},
	{
		family: 'python',
		query:
			'(attribute attribute: (identifier) @field (#match? @field "^f_(globals|builtins)$")) @attr',
		needs: /\bf_(?:globals|builtins)\b/,
		check: ({ attr }, file) => attr !== undefined && checkFrameWalk(attr, file),
	},
	{
		family: 'python',
		query: '(attribute) @attr',
		needs: /\b(?:sharedctypes|ctypeslib|_ctypes)\b|\.ctypes\b/,
		check: ({ attr }, file) => attr !== undefined && checkIndirectCtypes(attr, file),
	},
	{
		family: 'python',
		query: '(import_statement) @import (import_from_statement) @import',
		needs: /\b(?:sharedctypes|ctypeslib)\b/,
		check: ({ import: node }, file) => node !== undefined && checkPythonImport(node, file),
	},
	{
		family: 'js',
		query: '(with_statement) @with',
		check({ with: node }, file) {
			if (node !== undefined) {
				file.report(
					'hidden-loader',
					node,
					'a with block makes every name inside it a lookup on an object',
				);
			}
		},
	},
	{
		family: 'js',
		query: '(member_expression) @member',
		needs: /\b(?:cache|extensions|_load|_compile|_cache|_extensions)\b/,
		check: ({ member }, file) => member !== undefined && checkJsMember(member, file),
	},
];
