/**
 * Resolving what an expression names. Rules match on dotted names (`subprocess.Popen`,
 * `child_process.exec`), so renaming an import, aliasing a function or reaching a module
 * through `__import__('os')`, `getattr(os, 'system')` or `require('child_process')` must all
 * land on the same name. Only simple, local forms are followed; anything else is unknown.
 */
import type { Node } from 'web-tree-sitter';
import type { LanguageFamily } from './matcher.ts';
import { positionalArgs, stringValue } from './syntax.ts';

const MAX_NAME_DEPTH = 24;
const SIMPLE_DOTTED = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/;

/** Python builtins a rule may care about; a bare use resolves to `builtins.<name>`. */
const PY_BUILTINS = new Set([
	'eval',
	'exec',
	'compile',
	'open',
	'__import__',
	'getattr',
	'setattr',
	'globals',
	'locals',
	'vars',
	'chr',
	'bytes',
	'bytearray',
	'breakpoint',
	'input',
]);

/** Modules whose `import *` is followed, so a bare `system(...)` still resolves. */
const STAR_FOLLOWED = new Set([
	'os',
	'subprocess',
	'socket',
	'shutil',
	'ctypes',
	'base64',
	'marshal',
	'zlib',
	'pickle',
	'importlib',
	'builtins',
	'urllib.request',
	'requests',
	'http.client',
	'keyring',
]);

/** JS globals whose aliases are followed (`const e = eval; e(code)`). */
const JS_TRACKED_GLOBALS = new Set([
	'eval',
	'Function',
	'fetch',
	'require',
	'process',
	'WebSocket',
	'XMLHttpRequest',
	'setTimeout',
	'setInterval',
	'atob',
	'Buffer',
	'String',
	'unescape',
	'globalThis',
]);

/** Names JS code reaches through the global object (`window.eval` is `eval`). */
const JS_GLOBAL_OBJECTS = new Set(['globalThis', 'window', 'global', 'self']);

/** Values kept per local name, and names kept per file: bounds for hostile files. */
const MAX_VALUES_PER_NAME = 8;
const MAX_VALUE_NAMES = 20_000;
const MAX_BOUND_NAMES = 50_000;

export class Bindings {
	readonly names = new Map<string, string>();
	readonly starModules: string[] = [];
	/** Parameter names of the file's named functions, for values passed to them. */
	readonly functions = new Map<string, string[]>();
	/** Resolved values passed to a function not yet defined in the text: name -> (index, value). */
	readonly passed = new Map<string, [number, string][]>();
	/** What the file's one-line helper functions return (`def _n(s): return codecs.decode(s, ...)`). */
	readonly returns = new Map<string, Node>();
	/** What each plain local name is assigned, in source order (for names built from strings). */
	private readonly values = new Map<string, Node[]>();

	bind(local: string, target: string): void {
		if (this.names.size >= MAX_BOUND_NAMES && !this.names.has(local)) return;
		this.names.set(local, target);
	}

	assign(local: string, value: Node): void {
		const list = this.values.get(local);
		if (list === undefined) {
			if (this.values.size < MAX_VALUE_NAMES) this.values.set(local, [value]);
		} else if (list.length < MAX_VALUES_PER_NAME) {
			list.push(value);
		}
	}

	valuesOf(local: string): readonly Node[] | undefined {
		return this.values.get(local);
	}
}

/** `node:fs` and `fs` are one module; `fs/promises` is written `fs.promises` in rule tables. */
export function normaliseModule(name: string): string {
	const bare = name.startsWith('node:') ? name.slice(5) : name;
	return /^[a-z_]+\/promises$/.test(bare) ? bare.replace('/', '.') : bare;
}

export interface NameResolver {
	nameOf(node: Node): string | undefined;
	/** The root identifier of a dotted expression is imported or is a resolved builtin. */
	isResolvedRoot(node: Node): boolean;
	/** Drops memoised answers (after new bindings were learnt). */
	forget(): void;
}

export function createNameResolver(family: LanguageFamily, bindings: Bindings): NameResolver {
	const memo = new Map<number, string | null>();

	const normalise = (name: string): string => {
		if (family === 'python') {
			// A module's namespace reached through its dict or the module table is the module:
			// `os.__dict__['system']` and `sys.modules['os'].system` are `os.system`.
			const plain = name.startsWith('sys.modules.') ? name.slice(12) : name;
			return plain.includes('.__dict__.') ? plain.replaceAll('.__dict__.', '.') : plain;
		}
		const dot = name.indexOf('.');
		if (dot !== -1 && name.slice(0, dot) === 'globalThis') return name.slice(dot + 1);
		return name;
	};

	const root = (name: string): string => {
		const bound = bindings.names.get(name);
		if (bound !== undefined) return bound;
		if (family === 'python') {
			if (name === '__builtins__') return 'builtins';
			if (PY_BUILTINS.has(name)) return `builtins.${name}`;
			const star = bindings.starModules.find((module) => STAR_FOLLOWED.has(module));
			return star === undefined ? name : `${star}.${name}`;
		}
		return JS_GLOBAL_OBJECTS.has(name) ? 'globalThis' : name;
	};

	/**
	 * A dotted name bound as a whole: `self.run = os.system`, a class attribute, or an entry of
	 * a dict or list literal (`fns['r']` after `fns = {'r': os.system}`).
	 */
	const whole = (name: string): string => {
		if (!name.includes('.')) return name;
		const bound = bindings.names.get(name);
		return bound === undefined ? name : bound;
	};

	const dotted = (text: string): string => {
		const dot = text.indexOf('.');
		if (dot === -1) return normalise(root(text));
		const bound = bindings.names.get(text);
		if (bound !== undefined) return normalise(bound);
		return whole(normalise(`${root(text.slice(0, dot))}${text.slice(dot)}`));
	};

	const member = (base: Node | null, field: Node | null, depth: number) => {
		if (base === null || field === null) return undefined;
		const left = compute(base, depth + 1);
		return left === undefined ? undefined : whole(normalise(`${left}.${field.text}`));
	};

	const keyed = (base: Node | null, key: Node | null, depth: number) => {
		if (base === null || key === null) return undefined;
		// `fns[0]` names the first entry of a list literal bound to `fns`.
		const literal =
			key.type === 'integer' || key.type === 'number'
				? String(Number(key.text))
				: stringValue(key, family);
		if (literal === undefined || literal === '' || literal === 'NaN') return undefined;
		const left = compute(base, depth + 1);
		return left === undefined ? undefined : whole(normalise(`${left}.${literal}`));
	};

	/** The module table, a module's `__dict__`, or `vars(module)`: lookups name attributes. */
	function isNamespace(holder: Node, depth: number): boolean {
		if (holder.type === 'attribute' && holder.childForFieldName('attribute')?.text === '__dict__') {
			return true;
		}
		if (holder.type === 'call') {
			const callee = holder.childForFieldName('function');
			return callee !== null && compute(callee, depth + 1) === 'builtins.vars';
		}
		return compute(holder, depth + 1) === 'sys.modules';
	}

	/**
	 * A module name written as a literal, or held in a variable assigned once, from a literal
	 * (`MOD = 'subprocess'; importlib.import_module(MOD)`): naming it through a constant hides
	 * nothing from the resolver.
	 */
	function moduleNameOf(node: Node | undefined): string | undefined {
		if (node === undefined) return undefined;
		const literal = stringValue(node, family);
		if (literal !== undefined || node.type !== 'identifier') return literal;
		const values = bindings.valuesOf(node.text);
		const only = values?.length === 1 ? values[0] : undefined;
		return only === undefined ? undefined : stringValue(only, family);
	}

	function pythonCall(node: Node, depth: number): string | undefined {
		const callee = node.childForFieldName('function');
		if (callee === null) return undefined;
		const name = compute(callee, depth + 1);
		const args = positionalArgs(node.childForFieldName('arguments'));
		if (
			name === 'builtins.__import__' ||
			name === 'importlib.import_module' ||
			name === 'importlib.__import__'
		) {
			const module = moduleNameOf(args[0]);
			return module === undefined || module === '' ? undefined : module;
		}
		if (name === 'builtins.getattr') return keyed(args[0] ?? null, args[1] ?? null, depth);
		// `sys.modules.get('os')`, `os.__dict__.get('system')` and `vars(os).get('system')` look
		// up the module table or a namespace like a subscript does.
		if (callee.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'get') {
			const holder = callee.childForFieldName('object');
			if (holder !== null && isNamespace(holder, depth)) {
				return keyed(holder, args[0] ?? null, depth);
			}
		}
		// `vars(os)` is the namespace of `os`: `vars(os)['system']` is `os.system`.
		if (name === 'builtins.vars' && args.length === 1 && args[0] !== undefined) {
			return compute(args[0], depth + 1);
		}
		return undefined;
	}

	function jsCall(node: Node, depth: number): string | undefined {
		const callee = node.childForFieldName('function');
		if (callee === null) return undefined;
		const calleeName = compute(callee, depth + 1);
		// `createRequire(url)` makes another `require`.
		if (calleeName === 'module.createRequire' || calleeName === 'module.Module.createRequire') {
			return 'require';
		}
		const isRequire =
			(callee.type === 'identifier' && calleeName === 'require') ||
			calleeName === 'process.getBuiltinModule' ||
			calleeName === 'module.require';
		if (!isRequire && callee.type !== 'import') return undefined;
		const module = moduleNameOf(positionalArgs(node.childForFieldName('arguments'))[0]);
		return module === undefined || module === '' ? undefined : normaliseModule(module);
	}

	function compute(node: Node, depth: number): string | undefined {
		if (depth > MAX_NAME_DEPTH) return undefined;
		switch (node.type) {
			case 'identifier':
				return normalise(root(node.text));
			case 'attribute':
			case 'member_expression': {
				const text = node.text;
				if (SIMPLE_DOTTED.test(text)) return dotted(text);
				const objectNode = node.childForFieldName('object');
				const field = node.childForFieldName(family === 'python' ? 'attribute' : 'property');
				return member(objectNode, field, depth);
			}
			case 'subscript':
				return keyed(node.childForFieldName('value'), node.childForFieldName('subscript'), depth);
			case 'subscript_expression':
				return keyed(node.childForFieldName('object'), node.childForFieldName('index'), depth);
			case 'call':
				return pythonCall(node, depth);
			case 'call_expression':
				return jsCall(node, depth);
			case 'sequence_expression': {
				// `(0, eval)` is `eval`, called without its receiver.
				const last = node.namedChildren.filter((child) => child.type !== 'comment').pop();
				return last === undefined ? undefined : compute(last, depth + 1);
			}
			case 'parenthesized_expression':
			case 'await_expression':
			case 'non_null_expression':
			case 'as_expression':
			case 'satisfies_expression': {
				const inner = node.namedChild(0);
				return inner === null ? undefined : compute(inner, depth + 1);
			}
			default:
				return undefined;
		}
	}

	function rootIdentifier(node: Node): Node | undefined {
		let current: Node | null = node;
		for (let i = 0; current !== null && i < MAX_NAME_DEPTH; i++) {
			if (current.type === 'identifier') return current;
			if (current.type === 'attribute' || current.type === 'member_expression') {
				current = current.childForFieldName('object');
			} else if (current.type === 'call' || current.type === 'call_expression') {
				return current;
			} else if (current.type === 'sequence_expression') {
				current = current.namedChildren.filter((child) => child.type !== 'comment').pop() ?? null;
			} else if (
				current.type === 'await_expression' ||
				current.type === 'parenthesized_expression'
			) {
				// `await import('child_process')` is the module, as `require(...)` is.
				current = current.namedChild(0);
			} else {
				return undefined;
			}
		}
		return undefined;
	}

	return {
		nameOf(node) {
			const cached = memo.get(node.id);
			if (cached !== undefined) return cached ?? undefined;
			const name = compute(node, 0);
			memo.set(node.id, name ?? null);
			return name;
		},
		isResolvedRoot(node) {
			const head = rootIdentifier(node);
			if (head === undefined) return false;
			if (head.type !== 'identifier') return compute(head, 0) !== undefined;
			const text = head.text;
			if (bindings.names.has(text)) return true;
			const resolved = compute(head, 0);
			if (family === 'js') return resolved !== undefined && JS_TRACKED_GLOBALS.has(resolved);
			return resolved !== text;
		},
		forget() {
			memo.clear();
		},
	};
}

/** A regex that finds a local definition of `name`, so a bare use may not be the global. */
export function shadowPattern(family: LanguageFamily, name: string): RegExp {
	const n = name.replace(/[$]/g, '\\$');
	return family === 'python'
		? new RegExp(
				`(?:^|[^\\w.])(?:def|class)\\s+${n}\\b|(?:^|[^\\w.'"])${n}\\s*(?::[^=\\n]{0,80})?=(?!=)|\\bfor\\s+${n}\\s+in\\b|\\bas\\s+${n}\\b`,
				'm',
			)
		: new RegExp(
				`\\b(?:function|class|const|let|var)\\s+${n}\\b|(?:^|[^\\w.$])${n}\\s*=(?![=>])|[(,]\\s*${n}\\s*[,)]`,
				'm',
			);
}
