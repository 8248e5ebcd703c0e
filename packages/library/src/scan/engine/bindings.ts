/**
 * Learning local names from imports and simple aliases, before any rule runs: `import
 * subprocess as sp`, `from os import system`, `const { exec } = require('child_process')`,
 * `run = os.system`, `e = eval`. The queries below find the statements; the functions read them.
 */
import type { Node } from 'web-tree-sitter';
import type { LanguageFamily } from './matcher.ts';
import { type Bindings, type NameResolver, normaliseModule } from './names.ts';
import { stringValue } from './syntax.ts';
import { applyValueFlow } from './value-flow.ts';

const SIMPLE_DOTTED = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/;

export const BINDING_QUERIES: Readonly<Record<LanguageFamily, string>> = {
	python: `
(import_statement) @import
(import_from_statement) @import
(assignment left: (identifier) @alias right: [(identifier) (attribute) (call) (subscript)] @value)
(assignment left: (identifier) @local right: (_) @assigned)
(default_parameter name: (identifier) @alias value: [(identifier) (attribute)] @value)
(typed_default_parameter name: (identifier) @alias value: [(identifier) (attribute)] @value)
(assignment left: (attribute) @alias right: [(identifier) (attribute) (call) (subscript)] @value)
(class_definition
  name: (identifier) @owner
  body: (block (expression_statement (assignment left: (identifier) @member right: [(identifier) (attribute)] @value))))
(assignment left: (identifier) @container right: [(dictionary) (list) (tuple)] @items)
(function_definition name: (identifier) @fname parameters: (parameters) @fparams body: (block . (return_statement (_) @freturn)))
(function_definition name: (identifier) @fname parameters: (parameters) @fparams)
(call function: (identifier) @callee arguments: (argument_list) @callargs)
`,
	js: `
(import_statement) @import
(variable_declarator name: (_) @alias value: [(call_expression) (member_expression) (identifier) (await_expression) (subscript_expression) (parenthesized_expression)] @value)
(assignment_expression left: (identifier) @alias right: [(call_expression) (member_expression) (identifier)] @value)
(variable_declarator name: (identifier) @local value: (_) @assigned)
(assignment_expression left: (identifier) @local right: (_) @assigned)
(assignment_expression left: (member_expression) @alias right: [(call_expression) (member_expression) (identifier)] @value)
(formal_parameters) @defaults
(class_body) @classbody
(variable_declarator name: (identifier) @container value: [(object) (array)] @items)
(function_declaration name: (identifier) @fname parameters: (formal_parameters) @fparams body: (statement_block . (return_statement (_) @freturn)))
(function_declaration name: (identifier) @fname parameters: (formal_parameters) @fparams)
(call_expression function: (identifier) @callee arguments: (arguments) @callargs)
(call_expression
  function: (member_expression
    object: (call_expression function: (import)) @value
    property: (property_identifier) @then (#eq? @then "then"))
  arguments: (arguments . [(arrow_function) (function_expression)] @callback))
`,
};

function dottedText(node: Node): string {
	return node.text.replace(/\s+/g, '');
}

function bindPythonImport(node: Node, bindings: Bindings): void {
	if (node.type === 'import_statement') {
		for (const name of node.childrenForFieldName('name')) {
			if (name.type === 'aliased_import') {
				const target = name.childForFieldName('name');
				const alias = name.childForFieldName('alias');
				if (target !== null && alias !== null) bindings.bind(alias.text, dottedText(target));
			} else {
				const full = dottedText(name);
				const head = full.split('.')[0] ?? full;
				bindings.bind(head, head);
			}
		}
		return;
	}
	const moduleNode = node.childForFieldName('module_name');
	if (moduleNode === null) return;
	const module = dottedText(moduleNode);
	for (const child of node.namedChildren) {
		if (child.type === 'wildcard_import') bindings.starModules.push(module);
	}
	for (const name of node.childrenForFieldName('name')) {
		if (name.type === 'aliased_import') {
			const target = name.childForFieldName('name');
			const alias = name.childForFieldName('alias');
			if (target !== null && alias !== null) {
				bindings.bind(alias.text, `${module}.${dottedText(target)}`);
			}
		} else {
			const imported = dottedText(name);
			bindings.bind(imported, `${module}.${imported}`);
		}
	}
}

function bindJsImport(node: Node, bindings: Bindings): void {
	const source = node.childForFieldName('source');
	const raw = source === null ? undefined : stringValue(source, 'js');
	if (raw === undefined) return;
	const module = normaliseModule(raw);
	for (const child of node.namedChildren) {
		if (child.type === 'import_require_clause') {
			const local = child.namedChildren.find((c) => c.type === 'identifier');
			if (local !== undefined) bindings.bind(local.text, module);
		}
		if (child.type !== 'import_clause') continue;
		for (const part of child.namedChildren) {
			if (part.type === 'identifier') bindings.bind(part.text, module);
			if (part.type === 'namespace_import') {
				const local = part.namedChildren.find((c) => c.type === 'identifier');
				if (local !== undefined) bindings.bind(local.text, module);
			}
			if (part.type !== 'named_imports') continue;
			for (const specifier of part.namedChildren) {
				if (specifier.type !== 'import_specifier') continue;
				const name = specifier.childForFieldName('name');
				const alias = specifier.childForFieldName('alias') ?? name;
				if (name !== null && alias !== null) {
					bindings.bind(alias.text, `${module}.${stringValue(name, 'js') ?? name.text}`);
				}
			}
		}
	}
}

/** `const { exec, spawn: run } = require('child_process')`. */
function bindJsPattern(pattern: Node, target: string, bindings: Bindings): void {
	for (const part of pattern.namedChildren) {
		if (part.type === 'shorthand_property_identifier_pattern') {
			bindings.bind(part.text, `${target}.${part.text}`);
		} else if (part.type === 'pair_pattern') {
			const key = part.childForFieldName('key');
			const value = part.childForFieldName('value');
			if (key !== null && value?.type === 'identifier') {
				bindings.bind(value.text, `${target}.${stringValue(key, 'js') ?? key.text}`);
			}
		}
	}
}

/**
 * The first parameter of a callback, `cp` in `cp => ...` or `function ({ exec }) {...}`; in
 * TypeScript a parameter is wrapped in `required_parameter`. Found in code rather than in the
 * query, which must hold for the JavaScript and the TypeScript grammars alike.
 */
function firstParameter(callback: Node | undefined): Node | undefined {
	if (callback === undefined) return undefined;
	const single = callback.childForFieldName('parameter');
	if (single !== null) return single;
	const first = callback.childForFieldName('parameters')?.namedChildren[0];
	if (first === undefined || first === null) return undefined;
	const inner = first.type === 'required_parameter' ? first.childForFieldName('pattern') : first;
	return inner === null ? undefined : inner;
}

/** Applies one match of `BINDING_QUERIES`; matches come in document order. */
export function applyBinding(
	family: LanguageFamily,
	captures: Readonly<Record<string, Node>>,
	bindings: Bindings,
	names: NameResolver,
): void {
	const importNode = captures.import;
	if (importNode !== undefined) {
		if (family === 'python') bindPythonImport(importNode, bindings);
		else bindJsImport(importNode, bindings);
		names.forget();
		return;
	}
	if (captures.local !== undefined && captures.assigned !== undefined) {
		bindings.assign(captures.local.text, captures.assigned);
		return;
	}
	if (applyValueFlow(family, captures, bindings, names)) names.forget();
	const alias = captures.alias ?? firstParameter(captures.callback);
	const value = captures.value;
	if (alias === undefined || value === undefined) return;
	if (bindValue(alias, value, bindings, names)) names.forget();
}

/**
 * Binds `alias` to what `value` names. Only aliases of imported modules, resolved builtins and
 * require() results are followed; `x = y.z` on local objects tells nothing and would only grow
 * the table. `self.run = os.system` binds the dotted name as a whole.
 */
function bindValue(alias: Node, value: Node, bindings: Bindings, names: NameResolver): boolean {
	if (!names.isResolvedRoot(value)) return false;
	const target = names.nameOf(value);
	if (target === undefined) return false;
	if (alias.type === 'identifier' || alias.type === 'shorthand_property_identifier_pattern') {
		// `const https = require('https')` binds too: the name is the module, not a local object.
		if (alias.text === target && bindings.names.has(target)) return false;
		bindings.bind(alias.text, target);
	} else if (alias.type === 'object_pattern') {
		bindJsPattern(alias, target, bindings);
	} else if (alias.type === 'attribute' || alias.type === 'member_expression') {
		const text = dottedText(alias);
		if (!SIMPLE_DOTTED.test(text) || text === target) return false;
		bindings.bind(text, target);
	} else {
		return false;
	}
	return true;
}
