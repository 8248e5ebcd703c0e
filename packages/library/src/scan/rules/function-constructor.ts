/**
 * Ways to the Function constructor other than `constructor.constructor` (`function-constructor`):
 * `.constructor` (or `['constructor']`) read from a function literal, an arrow, an async or
 * generator function, a built-in method (`[].map`, `''.sub`, `f.call`), `Function.prototype`,
 * or the prototype `Object.getPrototypeOf(async function () {})`. Each is the Function,
 * AsyncFunction or GeneratorFunction constructor, which compiles a string like eval does.
 * `this.constructor` and `obj.constructor.name` are ordinary and stay quiet.
 */
import type { Node } from 'web-tree-sitter';
import type { FileContext, Matcher } from '../engine/matcher.ts';

const FUNCTION_LITERALS = new Set([
	'function',
	'function_expression',
	'arrow_function',
	'generator_function',
	'class',
]);

/** Built-in methods: each is a function, so its constructor is Function. */
const BUILTIN_METHODS =
	/^(?:map|filter|reduce|forEach|some|every|find|push|pop|slice|splice|concat|join|sub|bold|big|anchor|link|trim|charAt|at|fill|keys|values|entries|toString|valueOf|hasOwnProperty|call|apply|bind|then|catch|finally|includes|indexOf|sort|reverse|flat|flatMap|normalize|padStart|repeat|replace|split|toUpperCase|toLowerCase|log|now|parse|stringify|assign|freeze|getPrototypeOf|setTimeout|fetch|require)$/;

function unwrap(node: Node): Node {
	let current = node;
	for (let i = 0; i < 8 && current.type === 'parenthesized_expression'; i++) {
		const inner = current.namedChild(0);
		if (inner === null) break;
		current = inner;
	}
	return current;
}

/** `f` is declared in this file as a function (`function f`, `const f = () =>`). */
function isLocalFunction(name: string, file: FileContext): boolean {
	if (!/^[A-Za-z_$][\w$]*$/.test(name)) return false;
	const n = name.replace(/\$/g, '\\$');
	return new RegExp(
		`\\bfunction\\s*\\*?\\s*${n}\\s*\\(|\\b(?:const|let|var)\\s+${n}\\s*=\\s*(?:async\\s+)?(?:function\\b|\\([^)]*\\)\\s*=>|[\\w$]+\\s*=>)`,
	).test(file.text);
}

/** What `.constructor` is read from, when that is surely a function. */
function functionHolder(holder: Node, file: FileContext): string | undefined {
	const node = unwrap(holder);
	if (FUNCTION_LITERALS.has(node.type)) return 'a function literal';
	if (node.type === 'member_expression') {
		const property = node.childForFieldName('property')?.text ?? '';
		if (node.text.replace(/\s+/g, '') === 'Function.prototype') return 'Function.prototype';
		if (BUILTIN_METHODS.test(property)) return `the built-in method ${property}`;
		return undefined;
	}
	if (node.type === 'call_expression') {
		const callee = node.childForFieldName('function');
		const name = callee === null ? undefined : file.nameOf(callee);
		if (name === 'Object.getPrototypeOf' || name === 'Reflect.getPrototypeOf') {
			return 'the prototype of a function';
		}
		return undefined;
	}
	if (node.type === 'identifier') {
		if (node.text === 'Function') return 'Function';
		if (isLocalFunction(node.text, file)) return `the function ${node.text}`;
	}
	return undefined;
}

function checkMember(member: Node, file: FileContext): void {
	const holder = member.childForFieldName('object');
	if (holder === null) return;
	const from = functionHolder(holder, file);
	if (from === undefined) return;
	file.report(
		'function-constructor',
		member,
		`.constructor of ${from} is the Function constructor, which runs a string as code`,
	);
}

function checkSubscript(sub: Node, file: FileContext): void {
	const index = sub.childForFieldName('index');
	const holder = sub.childForFieldName('object');
	if (index === null || holder === null) return;
	const key = file.stringValue(index) ?? file.foldString(index);
	if (key !== 'constructor') return;
	const from = functionHolder(holder, file);
	if (from === undefined) return;
	file.report(
		'function-constructor',
		sub,
		`['constructor'] of ${from} is the Function constructor, which runs a string as code`,
	);
}

export const functionConstructorMatchers: readonly Matcher[] = [
	{
		family: 'js',
		query:
			'(member_expression property: (property_identifier) @property (#eq? @property "constructor")) @member',
		needs: /constructor/,
		check: ({ member }, file) => member !== undefined && checkMember(member, file),
	},
	{
		family: 'js',
		query: '(subscript_expression) @subscript',
		check: ({ subscript }, file) => subscript !== undefined && checkSubscript(subscript, file),
	},
];
