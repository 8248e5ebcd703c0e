/**
 * Hidden lookups (issue 9, "analysis that cannot decide is a finding"):
 * - `hidden-lookup`: a dangerous namespace (os, subprocess, the builtins, sys, the global
 *   object, process, require...) or a namespace table (`vars(m)`, `m.__dict__`, `globals()`)
 *   read with a name the code does not show: getattr, subscripts, Reflect, operator.attrgetter
 *   and methodcaller, require() and import() of computed names;
 * - `hidden-name`: the key of any lookup or import built by a disguising string transform.
 * Plain dispatch on the plugin's own objects (`getattr(self, 'do_' + cmd)`) stays quiet.
 */
import type { Node } from 'web-tree-sitter';
import type { FileContext, Matcher } from '../engine/matcher.ts';
import { positionalArgs } from '../engine/syntax.ts';
import type { Transform } from '../engine/transforms.ts';
import {
	DANGEROUS_MEMBERS,
	dangerousCallable,
	isDangerousNamespace,
	isSensitiveModule,
} from './dangerous.ts';
import { type CallSite, callMatchers } from './shared.ts';

const DUNDER = /^__\w+__$/;

/** A disguise worth a finding on any object: decoding always; folding into a sensitive name. */
function disguised(transform: Transform | undefined, folded: string | undefined): boolean {
	if (transform === undefined) return false;
	if (transform.kind === 'decoded') return true;
	if (transform.kind !== 'folded' || folded === undefined) return false;
	const last = folded.split('.').pop() ?? folded;
	return (
		DANGEROUS_MEMBERS.has(last) ||
		DUNDER.test(last) ||
		isSensitiveModule(folded) ||
		dangerousCallable('python', `builtins.${folded}`) !== undefined ||
		dangerousCallable('js', folded) !== undefined
	);
}

/**
 * A literal name spelt with escapes (`'\x73ystem'`, `'\N{LATIN SMALL LETTER S}'`): the
 * interpreter reads the plain name, a reader and a text search do not.
 */
function escapedLiteral(key: Node, file: FileContext): Transform | undefined {
	const value = file.stringValue(key);
	if (value === undefined || !/^[\w.$/-]+$/.test(value)) return undefined;
	return /\\(?:x[0-9a-fA-F]{2}|u\{?[0-9a-fA-F]|U[0-9a-fA-F]{8}|N\{|[0-7])/.test(key.text)
		? { kind: 'decoded', value }
		: undefined;
}

function how(transform: Transform | undefined): string {
	return transform?.kind === 'decoded'
		? 'decoded or reversed at run time'
		: 'built from pieces of string';
}

function named(folded: string | undefined): string {
	return folded === undefined ? '' : ` ('${folded}')`;
}

/** The key is hidden from a reader: not a literal (numbers are indexes, not names). */
function computedKey(key: Node, file: FileContext): boolean {
	return file.stringValue(key) === undefined && key.type !== 'integer' && key.type !== 'number';
}

/** `x[k] = v` and `del x[k]` write or remove; only reads fetch something to call. */
function isWritten(node: Node, file: FileContext): boolean {
	const after = file.text.slice(node.endIndex, node.endIndex + 4);
	const before = file.text.slice(Math.max(0, node.startIndex - 4), node.startIndex);
	return /^\s*(?:=(?!=)|[-+|&]=)/.test(after) || /\bdel\s*$/.test(before);
}

/** Reports a lookup on `base` with `key`: high when the namespace is dangerous or the key is disguised. */
function judge(
	node: Node,
	base: Node,
	key: Node,
	file: FileContext,
	what: string,
	anyKey = false,
): void {
	const namespace = file.isResolved(base) ? file.nameOf(base) : undefined;
	const literal = !computedKey(key, file);
	const transform = literal ? escapedLiteral(key, file) : file.transformOf(key);
	const folded = literal ? file.stringValue(key) : file.foldString(key);
	if (isDangerousNamespace(file.family, namespace) && (anyKey || !literal)) {
		file.report(
			'hidden-lookup',
			node,
			`${what} picks a member of ${namespace} by a name the code does not show${named(folded)}`,
		);
		return;
	}
	if (disguised(transform, folded)) {
		file.report('hidden-name', node, `${what} uses a name ${how(transform)}${named(folded)}`);
	}
}

function checkPythonCall(site: CallSite, file: FileContext): void {
	const args = positionalArgs(site.args);
	switch (site.name) {
		case 'builtins.getattr': {
			const [target, key] = args;
			if (target !== undefined && key !== undefined) judge(site.call, target, key, file, 'getattr');
			return;
		}
		case 'builtins.__import__':
		case 'importlib.import_module':
		case 'importlib.__import__':
		case 'importlib.util.find_spec': {
			const first = args[0];
			if (first === undefined) return;
			const transform = computedKey(first, file)
				? file.transformOf(first)
				: escapedLiteral(first, file);
			const folded = file.foldString(first);
			const hidden = disguised(transform, folded);
			if (hidden) {
				file.report(
					'hidden-name',
					site.call,
					`the module imported is named by a string ${how(transform)}${named(folded)}`,
				);
			}
			return;
		}
		case 'operator.attrgetter':
		case 'operator.methodcaller': {
			const first = args[0];
			if (first === undefined) return;
			const literal = file.stringValue(first);
			const parts = (literal ?? '').split('.');
			if (literal !== undefined && parts.some((part) => DANGEROUS_MEMBERS.has(part))) {
				file.report(
					'hidden-lookup',
					site.call,
					`${site.name} fetches '${literal}' out of sight of the call that uses it`,
				);
			} else if (literal === undefined) {
				const transform = file.transformOf(first);
				const folded = file.foldString(first);
				if (disguised(transform, folded)) {
					file.report(
						'hidden-name',
						site.call,
						`${site.name} uses a name ${how(transform)}${named(folded)}`,
					);
				}
			}
			return;
		}
		default:
			checkGetterApplied(site, file);
			checkTableGet(site, file);
	}
}

/** `vars(os).get(name)`, `__builtins__.get('exec')`: the same table read as a subscript. */
function checkTableGet(site: CallSite, file: FileContext): void {
	if (site.callee.type !== 'attribute') return;
	const method = site.callee.childForFieldName('attribute')?.text;
	if (method !== 'get' && method !== '__getitem__' && method !== 'pop') return;
	const table = site.callee.childForFieldName('object');
	const key = positionalArgs(site.args)[0];
	if (table === null || key === undefined) return;
	checkTableRead(site.call, table, key, file);
}

/** `operator.attrgetter(name)(os)` and `methodcaller(name)(os)`: applied to a dangerous module. */
function checkGetterApplied(site: CallSite, file: FileContext): void {
	if (site.callee.type !== 'call' && site.callee.type !== 'call_expression') return;
	const inner = site.callee.childForFieldName('function');
	const name = inner === null ? undefined : file.nameOf(inner);
	const getter =
		name === 'operator.attrgetter' ||
		name === 'operator.methodcaller' ||
		name === 'Reflect.get' ||
		name === 'Reflect.apply';
	if (!getter) return;
	const target = positionalArgs(site.args)[0];
	const namespace =
		target === undefined || !file.isResolved(target) ? undefined : file.nameOf(target);
	if (isDangerousNamespace(file.family, namespace)) {
		file.report('hidden-lookup', site.call, `${name} is applied to ${namespace}`);
	}
}

/** `os.__dict__[k]`, `vars(os)[k]`, `globals()[k]`, `__builtins__[k]`, `sys.modules[k]`. */
function checkPythonTable(sub: Node, file: FileContext): void {
	const value = sub.childForFieldName('value');
	const key = sub.childForFieldName('subscript');
	if (value === null || key === null || isWritten(sub, file)) return;
	checkTableRead(sub, value, key, file);
}

function checkTableRead(sub: Node, value: Node, key: Node, file: FileContext): void {
	if (key.type === 'slice' || key.text === '__name__') return;
	const literal = file.stringValue(key);
	const transform = literal === undefined ? file.transformOf(key) : undefined;
	const folded = literal ?? file.foldString(key);
	let table: string | undefined;
	if (value.type === 'call') {
		const fn = value.childForFieldName('function');
		const fnName = fn === null ? undefined : file.nameOf(fn);
		const args = positionalArgs(value.childForFieldName('arguments'));
		if (fnName === 'builtins.vars' && args[0] !== undefined) {
			const module = file.isResolved(args[0]) ? file.nameOf(args[0]) : undefined;
			if (isDangerousNamespace('python', module)) table = `vars(${module})`;
		} else if (
			(fnName === 'builtins.globals' ||
				fnName === 'builtins.locals' ||
				fnName === 'builtins.vars') &&
			args.length === 0
		) {
			// The module's own names are ordinary data (`globals()[name]` in dispatch code); a
			// disguised name, or one leading to the builtins, is not.
			if (literal === '__builtins__') table = `${fn?.text}()`;
			else if (literal === undefined && disguised(transform, folded)) {
				file.report(
					'hidden-name',
					sub,
					`${fn?.text}() is read with a name ${how(transform)}${named(folded)}`,
				);
				return;
			}
		}
	} else {
		const name = file.isResolved(value) ? file.nameOf(value) : undefined;
		if (name === 'builtins' || value.text === '__builtins__') table = '__builtins__';
		else if (name?.endsWith('.__dict__')) {
			const module = name.slice(0, -'.__dict__'.length);
			if (isDangerousNamespace('python', module)) table = `${module}.__dict__`;
		} else if (name === 'sys.modules' && disguised(transform, folded)) {
			file.report(
				'hidden-name',
				sub,
				`sys.modules is read with a name ${how(transform)}${named(folded)}`,
			);
			return;
		}
	}
	if (table === undefined) return;
	file.report(
		'hidden-lookup',
		sub,
		`${table}[...] reaches a function through a namespace table${named(folded)}`,
	);
}

function checkJsCall(site: CallSite, file: FileContext): void {
	const args = positionalArgs(site.args);
	const isImport = site.callee.type === 'import';
	if (isImport || site.name === 'require' || site.name === 'module.require') {
		const first = args[0];
		if (first === undefined) return;
		const what = isImport ? 'import()' : 'require()';
		if (!computedKey(first, file)) {
			const escaped = escapedLiteral(first, file);
			if (escaped !== undefined) {
				file.report(
					'hidden-name',
					site.call,
					`${what} loads a module named with escapes${named(escaped.value)}`,
				);
			}
			return;
		}
		const transform = file.transformOf(first);
		const folded = file.foldString(first);
		if (disguised(transform, folded)) {
			file.report(
				'hidden-name',
				site.call,
				`${what} loads a module named by a string ${how(transform)}${named(folded)}`,
			);
		} else if (
			!/__dirname|__filename|import\.meta|['"`]\.{1,2}\/|\bpath\.(?:join|resolve)\b/.test(
				first.text,
			)
		) {
			file.report('hidden-lookup', site.call, `${what} loads a module the code does not name`);
		}
		return;
	}
	if (
		site.name === 'Reflect.get' ||
		site.name === 'Reflect.has' ||
		site.name === 'Reflect.getOwnPropertyDescriptor' ||
		site.name === 'Object.getOwnPropertyDescriptor' ||
		site.name === 'Object.getOwnPropertyDescriptors'
	) {
		const [target, key] = args;
		if (target === undefined) return;
		if (key === undefined) {
			const namespace = file.nameOf(target);
			if (isDangerousNamespace('js', namespace)) {
				file.report('hidden-lookup', site.call, `${site.name} lists the members of ${namespace}`);
			}
			return;
		}
		judge(site.call, target, key, file, site.name, true);
		return;
	}
	checkGetterApplied(site, file);
}

function checkJsSubscript(sub: Node, file: FileContext): void {
	const object = sub.childForFieldName('object');
	const index = sub.childForFieldName('index');
	if (object === null || index === null || isWritten(sub, file)) return;
	judge(sub, object, index, file, `${object.type === 'identifier' ? object.text : 'a'}[...]`);
}

export const hiddenLookupMatchers: readonly Matcher[] = [
	...callMatchers(['python'], checkPythonCall),
	...callMatchers(['js'], checkJsCall),
	{
		family: 'python',
		query: '(subscript) @sub',
		needs: /\b(?:vars|globals|locals)\s*\(|__dict__|__builtins__|\bbuiltins\b|\bmodules\b/,
		check: ({ sub }, file) => sub !== undefined && checkPythonTable(sub, file),
	},
	{
		family: 'python',
		query:
			'(subscript value: (_) @base subscript: [(binary_operator) (call) (subscript) (string)] @key) @keyed',
		check({ keyed, base, key }, file) {
			if (keyed === undefined || base === undefined || key === undefined) return;
			if (isWritten(keyed, file)) return;
			judge(keyed, base, key, file, 'a subscript');
		},
	},
	{
		family: 'js',
		query: '(subscript_expression) @subscript',
		check: ({ subscript }, file) => subscript !== undefined && checkJsSubscript(subscript, file),
	},
];
