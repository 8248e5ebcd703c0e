/**
 * Introspection escapes: the object-graph walks of the seed's examples
 * (`().__class__.__bases__[0].__subclasses__()`, `f.__globals__['sys']`, `__builtins__`),
 * getattr with dunder or computed names, and their JavaScript counterparts
 * (`x.constructor.constructor`, `process.binding`, `process.mainModule`).
 */
import type { Node } from 'web-tree-sitter';
import type { FileContext, Matcher } from '../engine/matcher.ts';
import { positionalArgs } from '../engine/syntax.ts';
import { callMatchers } from './shared.ts';

/** Attributes that lead from any object to modules, globals or every loaded class. */
const ESCAPES = new Set(['__subclasses__', '__globals__', '__builtins__']);
/** First steps of such walks; common enough in honest metaprogramming to rate lower. */
const WALK_STEPS = new Set(['__bases__']);
/** getattr targets that are escapes whatever object they are read from. */
const GETATTR_ESCAPES = new Set([
	'__subclasses__',
	'__globals__',
	'__builtins__',
	'__bases__',
	'__mro__',
	'__code__',
	'__import__',
]);

/** Modules whose functions picked by a computed name would hide a dangerous call. */
const SENSITIVE_MODULES = new Set([
	'os',
	'posix',
	'nt',
	'subprocess',
	'builtins',
	'sys',
	'socket',
	'ctypes',
	'importlib',
	'shutil',
	'pty',
	'child_process',
	'fs',
	'vm',
	'net',
	'http',
	'https',
	'globalThis',
	'process',
]);

const DUNDER = /^__\w+__$/;

/** Steps that walk from an object to its class hierarchy: the middle of an escape chain. */
const HIERARCHY_STEPS = new Set(['__class__', '__bases__', '__base__', '__mro__', 'mro']);
/** Roots whose subclasses are every class loaded: `object.__subclasses__()`. */
const ROOT_TYPES = new Set(['object', 'type', 'int', 'str', 'bytes', 'tuple', 'list', 'dict']);
const LITERALS = new Set([
	'string',
	'concatenated_string',
	'integer',
	'float',
	'list',
	'tuple',
	'dict',
	'set',
	'true',
	'false',
	'none',
	'number',
	'array',
	'object',
	'template_string',
]);
const MAX_CHAIN = 32;

/**
 * Where an escape chain starts decides what it is (the severity policy in docs/scanning.md):
 * from a literal (`().__class__...`), a root type, through the class hierarchy, or from an
 * imported object (`json.dumps.__globals__`, someone else's globals) it is an escape, high;
 * a module reading its own function's or object's `__globals__` is introspection, medium.
 */
function isEscapeChain(start: Node | null, file: FileContext, name: string): boolean {
	let node = start;
	for (let depth = 0; node !== null && depth < MAX_CHAIN; depth++) {
		if (LITERALS.has(node.type)) return true;
		switch (node.type) {
			case 'attribute':
			case 'member_expression': {
				const field = node.childForFieldName(node.type === 'attribute' ? 'attribute' : 'property');
				if (field !== null && HIERARCHY_STEPS.has(field.text)) return true;
				node = node.childForFieldName('object');
				break;
			}
			case 'subscript':
				node = node.childForFieldName('value');
				break;
			case 'call': {
				const callee = node.childForFieldName('function');
				// `type(x).__subclasses__()` walks from x's class, as `x.__class__` does.
				if (callee?.type === 'identifier' && callee.text === 'type') return true;
				node = callee;
				break;
			}
			case 'parenthesized_expression':
				node = node.namedChild(0);
				break;
			case 'identifier': {
				const root = node.text;
				if (name === '__subclasses__' && ROOT_TYPES.has(root) && !file.isShadowed(root)) {
					return true;
				}
				// An imported module's object: its globals are not the module's own.
				return isImported(file, root);
			}
			default:
				return false;
		}
	}
	return false;
}

const imports = new WeakMap<FileContext, Map<string, boolean>>();

/** The file imports `name` (`import json`, `from m import f`, `import x as name`). */
function isImported(file: FileContext, name: string): boolean {
	if (!/^[A-Za-z_]\w*$/.test(name)) return false;
	let known = imports.get(file);
	if (known === undefined) {
		known = new Map();
		imports.set(file, known);
	}
	let found = known.get(name);
	if (found === undefined) {
		const statement = new RegExp(
			`^[ \\t]*(?:from[ \\t]+[\\w.]+[ \\t]+)?import[ \\t][^\\n]*\\b${name}\\b`,
			'm',
		);
		found = statement.test(file.text);
		known.set(name, found);
	}
	return found;
}

function checkDunderName(name: string, node: Node, file: FileContext, holder: Node | null): void {
	if (ESCAPES.has(name)) {
		if (holder === null || isEscapeChain(holder, file, name)) {
			file.report('introspection-escape', node, `${name} reaches interpreter internals`);
		} else {
			file.report('introspection-escape', node, `${name} of the module's own object`, {
				severity: 'medium',
			});
		}
	} else if (WALK_STEPS.has(name)) {
		file.report('introspection-dunder', node, `${name} walks the class hierarchy`);
	}
}

const pythonGetattr = callMatchers(['python'], (site, file) => {
	if (site.name !== 'builtins.getattr') return;
	const [target, nameArg] = positionalArgs(site.args);
	if (target === undefined || nameArg === undefined) return;
	const literal = file.stringValue(nameArg);
	if (literal !== undefined) {
		if (GETATTR_ESCAPES.has(literal)) {
			const escapes = literal === '__import__' || isEscapeChain(target, file, literal);
			file.report(
				'introspection-escape',
				site.call,
				`getattr fetches ${literal}`,
				escapes ? {} : { severity: 'medium' },
			);
		} else if (DUNDER.test(literal)) {
			file.report('getattr-dunder', site.call, `getattr fetches ${literal} by name`);
		}
		return;
	}
	const module = file.nameOf(target);
	if (module !== undefined && SENSITIVE_MODULES.has(module)) {
		file.report(
			'getattr-computed',
			site.call,
			`getattr picks a function of ${module} by a computed name`,
		);
	} else if (target.type === 'identifier' && isDynamicModule(target.text, file)) {
		file.report(
			'getattr-computed',
			site.call,
			'getattr picks a function of a dynamically imported module',
		);
	}
	// A decoded attribute name is as hidden as decoded code.
	file.flowSink(site.call, site.args, 'exec', 'getattr');
});

/** `mod = __import__(...)` or `mod = importlib.import_module(...)` somewhere in the file. */
function isDynamicModule(name: string, file: FileContext): boolean {
	if (!/^[A-Za-z_]\w*$/.test(name)) return false;
	const assigned = new RegExp(
		`\\b${name}\\s*=\\s*(?:__import__|importlib\\.import_module|import_module)\\s*\\(`,
	);
	return assigned.test(file.text);
}

function checkJsMember(node: Node, file: FileContext): void {
	const property = node.childForFieldName('property')?.text;
	const objectNode = node.childForFieldName('object');
	if (property === undefined || objectNode === null) return;
	if (property === 'constructor' && objectNode.type === 'member_expression') {
		if (objectNode.childForFieldName('property')?.text === 'constructor') {
			file.report(
				'introspection-escape',
				node,
				'constructor.constructor reaches the Function constructor',
			);
		}
		return;
	}
	if (property === '__proto__') {
		file.report('introspection-dunder', node, '__proto__ walks the prototype chain');
		return;
	}
	const name = file.nameOf(node);
	if (name === 'process.binding' || name === 'process._linkedBinding') {
		file.report('introspection-escape', node, `${name} reaches Node's internal bindings`);
	} else if (name === 'process.mainModule' || name === 'module.constructor') {
		file.report('introspection-escape', node, `${name} reaches the module loader`);
	}
}

function checkJsSubscript(node: Node, file: FileContext): void {
	const index = node.childForFieldName('index');
	const objectNode = node.childForFieldName('object');
	if (index === null || objectNode === null) return;
	const literal = file.stringValue(index);
	if (literal === 'constructor' && /constructor['"`]?\]?$/.test(objectNode.text)) {
		file.report('introspection-escape', node, "['constructor']['constructor'] reaches Function");
		return;
	}
	if (literal !== undefined || index.type === 'number') return;
	const module = file.nameOf(objectNode);
	if (module !== undefined && SENSITIVE_MODULES.has(module)) {
		file.report('getattr-computed', node, `${module}[...] picks a function by a computed name`);
	}
}

/** `os.__dict__[name]` and `sys.modules[name]`: getattr and __import__ by other means. */
function checkPythonSubscript(node: Node, file: FileContext): void {
	const key = node.childForFieldName('subscript');
	const value = node.childForFieldName('value');
	if (key === null || value === null || file.stringValue(key) !== undefined) return;
	// `sys.modules[__name__]` is the usual way for a module to reach itself.
	if (key.type === 'integer' || key.type === 'slice' || key.text === '__name__') return;
	const name = file.nameOf(value);
	if (name === 'sys.modules') {
		file.report('getattr-computed', node, 'sys.modules[...] picks a module by a computed name');
		return;
	}
	const module = name?.endsWith('.__dict__') ? name.slice(0, -'.__dict__'.length) : undefined;
	if (module !== undefined && SENSITIVE_MODULES.has(module)) {
		file.report(
			'getattr-computed',
			node,
			`${module}.__dict__[...] picks a function by a computed name`,
		);
	}
}

export const introspectionMatchers: readonly Matcher[] = [
	...pythonGetattr,
	{
		family: 'python',
		query: '(subscript) @sub',
		needs: /__dict__|\bmodules\b/,
		check: ({ sub }, file) => sub !== undefined && checkPythonSubscript(sub, file),
	},
	{
		family: 'python',
		query: '(attribute attribute: (identifier) @field) @attr',
		needs: /__(?:subclasses|globals|builtins|bases)__/,
		check({ attr, field }, file) {
			if (attr !== undefined && field !== undefined) {
				checkDunderName(field.text, attr, file, attr.childForFieldName('object'));
			}
		},
	},
	{
		family: 'python',
		query: '((identifier) @name (#eq? @name "__builtins__"))',
		needs: /__builtins__/,
		check({ name }, file) {
			// The module's own builtins; a lookup in them by a hidden name is judged where it happens.
			if (name !== undefined) {
				file.report('introspection-escape', name, "__builtins__ of the module's own", {
					severity: 'medium',
				});
			}
		},
	},
	{
		family: 'python',
		query: '(subscript subscript: (string) @key) @sub',
		needs: /__(?:subclasses|globals|builtins)__/,
		check({ sub, key }, file) {
			const literal = key === undefined ? undefined : file.stringValue(key);
			if (sub !== undefined && literal !== undefined) {
				checkDunderName(literal, sub, file, sub.childForFieldName('value'));
			}
		},
	},
	{
		family: 'js',
		query: '(member_expression) @member',
		needs: /constructor|__proto__|process|module/,
		check: ({ member }, file) => member !== undefined && checkJsMember(member, file),
	},
	{
		family: 'js',
		query: '(subscript_expression) @subscript',
		check: ({ subscript }, file) => subscript !== undefined && checkJsSubscript(subscript, file),
	},
];
