/**
 * Values followed beyond plain aliases, while bindings are learnt: parameter defaults
 * (`def f(c, run=os.system)`), class attributes and fields (`class P: run = os.system`, read as
 * `self.run`), entries of dict, list and object literals (`fns = {'r': os.system}`, read as
 * `fns['r']`), and values passed to the file's own functions (`def go(f, c): f(c)` called as
 * `go(os.system, c)`). A dangerous callable handed around this way still resolves where it is
 * finally called. Each form is bounded: entries per literal, pending calls per file.
 */
import type { Node } from 'web-tree-sitter';
import type { LanguageFamily } from './matcher.ts';
import type { Bindings, NameResolver } from './names.ts';
import { stringValue } from './syntax.ts';

const MAX_ENTRIES = 64;
const MAX_PENDING = 500;
const MAX_PARAMETERS = 32;

function bindAs(name: string, value: Node, bindings: Bindings, names: NameResolver): boolean {
	if (!names.isResolvedRoot(value)) return false;
	const target = names.nameOf(value);
	if (target === undefined || target === name) return false;
	bindings.bind(name, target);
	return true;
}

/** `{'r': os.system}`, `[os.system]`, `{ r: cp.exec }`: each entry under `container.key`. */
function bindContainer(
	family: LanguageFamily,
	container: string,
	items: Node,
	bindings: Bindings,
	names: NameResolver,
): boolean {
	let changed = false;
	const entries = items.namedChildren.filter((child) => child.type !== 'comment');
	entries.slice(0, MAX_ENTRIES).forEach((entry, index) => {
		if (entry.type === 'pair') {
			const key = entry.childForFieldName('key');
			const value = entry.childForFieldName('value');
			if (key === null || value === null) return;
			const literal =
				key.type === 'property_identifier' ? key.text : (stringValue(key, family) ?? undefined);
			if (literal !== undefined && literal !== '') {
				changed = bindAs(`${container}.${literal}`, value, bindings, names) || changed;
			}
		} else if (entry.type === 'shorthand_property_identifier') {
			changed = bindAs(`${container}.${entry.text}`, entry, bindings, names) || changed;
		} else if (items.type !== 'dictionary' && items.type !== 'object') {
			changed = bindAs(`${container}.${index}`, entry, bindings, names) || changed;
		}
	});
	return changed;
}

/** The positional parameter names of a function, and their defaults. */
function parameters(params: Node): { name: string; value: Node | null }[] {
	const out: { name: string; value: Node | null }[] = [];
	for (const param of params.namedChildren.slice(0, MAX_PARAMETERS)) {
		let name: Node | null = null;
		let value: Node | null = null;
		switch (param.type) {
			case 'identifier':
				name = param;
				break;
			case 'typed_parameter':
				name = param.namedChildren.find((child) => child.type === 'identifier') ?? null;
				break;
			case 'default_parameter':
			case 'typed_default_parameter':
				name = param.childForFieldName('name');
				value = param.childForFieldName('value');
				break;
			case 'assignment_pattern':
				name = param.childForFieldName('left');
				value = param.childForFieldName('right');
				break;
			case 'required_parameter':
			case 'optional_parameter':
				name = param.childForFieldName('pattern');
				value = param.childForFieldName('value');
				break;
			default:
				continue;
		}
		if (name?.type === 'identifier') out.push({ name: name.text, value });
	}
	return out;
}

/** `class A { run = eval }`: the field is read as `this.run`. */
function bindClassFields(body: Node, bindings: Bindings, names: NameResolver): boolean {
	let changed = false;
	for (const member of body.namedChildren.slice(0, MAX_ENTRIES * 4)) {
		if (member.type !== 'field_definition' && member.type !== 'public_field_definition') continue;
		const name = member.childForFieldName('property') ?? member.childForFieldName('name');
		const value = member.childForFieldName('value');
		if (name === null || value === null) continue;
		changed = bindAs(`this.${name.text}`, value, bindings, names) || changed;
	}
	return changed;
}

function passArguments(
	callee: string,
	args: Node,
	bindings: Bindings,
	names: NameResolver,
): boolean {
	const positional = args.namedChildren.filter(
		(child) => child.type !== 'comment' && child.type !== 'keyword_argument',
	);
	const known = bindings.functions.get(callee);
	let changed = false;
	positional.slice(0, MAX_PARAMETERS).forEach((arg, index) => {
		if (arg.type !== 'identifier' && arg.type !== 'attribute' && arg.type !== 'member_expression') {
			return;
		}
		if (!names.isResolvedRoot(arg)) return;
		const target = names.nameOf(arg);
		if (target === undefined) return;
		if (known !== undefined) {
			const param = known[index];
			if (param !== undefined && param !== target) {
				bindings.bind(param, target);
				changed = true;
			}
			return;
		}
		const waiting = bindings.passed.get(callee) ?? [];
		if (bindings.passed.size >= MAX_PENDING && waiting.length === 0) return;
		if (waiting.length < MAX_PARAMETERS) waiting.push([index, target]);
		bindings.passed.set(callee, waiting);
	});
	return changed;
}

/** Applies the value-flow forms of a binding match; true when a name was bound. */
export function applyValueFlow(
	family: LanguageFamily,
	captures: Readonly<Record<string, Node>>,
	bindings: Bindings,
	names: NameResolver,
): boolean {
	const { container, items, member, value, owner, fname, fparams, callee, callargs } = captures;
	if (container !== undefined && items !== undefined) {
		return bindContainer(family, container.text, items, bindings, names);
	}
	if (member !== undefined && value !== undefined) {
		// A class attribute is reached as `self.x`, `cls.x` or `Owner.x`.
		let changed = false;
		for (const holder of ['self', 'cls', owner?.text]) {
			if (holder !== undefined) {
				changed = bindAs(`${holder}.${member.text}`, value, bindings, names) || changed;
			}
		}
		return changed;
	}
	if (captures.defaults !== undefined) {
		let changed = false;
		for (const param of parameters(captures.defaults)) {
			if (param.value === null) continue;
			changed = bindAs(param.name, param.value, bindings, names) || changed;
		}
		return changed;
	}
	if (captures.classbody !== undefined) return bindClassFields(captures.classbody, bindings, names);
	if (fname !== undefined && captures.freturn !== undefined) {
		bindings.returns.set(fname.text, captures.freturn);
		return false;
	}
	if (fname !== undefined && fparams !== undefined) {
		const list = parameters(fparams).map((param) => param.name);
		bindings.functions.set(fname.text, list);
		const waiting = bindings.passed.get(fname.text);
		if (waiting === undefined) return false;
		bindings.passed.delete(fname.text);
		for (const [index, target] of waiting) {
			const param = list[index];
			if (param !== undefined && param !== target) bindings.bind(param, target);
		}
		return true;
	}
	if (callee !== undefined && callargs !== undefined) {
		return passArguments(callee.text, callargs, bindings, names);
	}
	return false;
}
