/**
 * Dangerous callables used as values (`hidden-callable`): eval, exec, os.system, subprocess,
 * child_process, pickle.loads, ctypes loaders or the Function constructor passed to another
 * call (map, atexit.register, Thread(target=), setTimeout, .then), stored in a list, dict or
 * object, set as a default argument, a class attribute or an object's attribute, used as a
 * decorator, returned or yielded, or bound with .bind/.call/.apply. The call that runs them is
 * out of sight, so each is also reported under the rule of the capability it stands for
 * (code-exec, process-spawn...), which keeps the plugin's inferred capabilities complete.
 */
import type { Node } from 'web-tree-sitter';
import type { FileContext, Matcher } from '../engine/matcher.ts';
import { type CallableKind, dangerousCallable } from './dangerous.ts';
import { shown } from './shared.ts';

/*
 * No text prerequisite (`needs`): an alias bound far from its use (`indirect = (0, eval)` at
 * the top, `.then(indirect)` much later) would fall outside the spans a prerequisite limits the
 * query to. The check rejects most values on their resolved name alone.
 */

/**
 * The file defines `name` itself. Stricter than the shared shadow test, which also counts a
 * JavaScript name seen between commas or parentheses (an argument, like `map(eval, ...)`).
 */
function definesName(name: string, file: FileContext): boolean {
	if (file.family === 'python') return file.isShadowed(name);
	const n = name.replace(/\$/g, '\\$');
	return new RegExp(
		`\\b(?:function\\s*\\*?|class|const|let|var)\\s+${n}\\b|(?:^|[^\\w.$])${n}\\s*=(?![=>])|\\bas\\s+${n}\\b`,
		'm',
	).test(file.text);
}

const PLACES: Readonly<Record<string, string>> = {
	argument_list: 'passed to another call',
	arguments: 'passed to another call',
	keyword_argument: 'passed to another call',
	list: 'stored in a container',
	tuple: 'stored in a container',
	set: 'stored in a container',
	array: 'stored in a container',
	pair: 'stored in a container',
	default_parameter: 'made a default argument',
	typed_default_parameter: 'made a default argument',
	assignment_pattern: 'made a default argument',
	decorator: 'used as a decorator',
	return_statement: 'returned',
	yield: 'yielded',
	yield_expression: 'yielded',
	lambda: 'returned from a lambda',
	arrow_function: 'returned from an arrow function',
	conditional_expression: 'chosen by a condition',
	ternary_expression: 'chosen by a condition',
	class_attribute: 'made a class attribute',
	attribute_assignment: 'stored on an object',
	bound: 'bound with .bind/.call/.apply',
};

const STORED = new Set([
	'list',
	'tuple',
	'set',
	'array',
	'pair',
	'class_attribute',
	'attribute_assignment',
]);

const MESSAGES: Readonly<Record<CallableKind, string>> = {
	'code-exec': 'runs code',
	'process-spawn': 'starts a program',
	'native-ffi': 'loads native code',
	'dynamic-import': 'imports a module',
};

function check(value: Node | undefined, place: string, file: FileContext): void {
	if (value === undefined) return;
	const name = file.nameOf(value);
	const kind = dangerousCallable(file.family, name);
	if (kind === undefined) return;
	// A file that defines its own `compile` or `eval` may be passing that one.
	if (value.type === 'identifier' && value.text === shown(name, value.text)) {
		if (definesName(value.text, file)) return;
	}
	const what = shown(name, value.text);
	const where = PLACES[place] ?? 'used as a value';
	// Stored in a container or an attribute, the call that finally runs it is resolved through
	// the value flow and judged there; handed to other code, it is not.
	const severity = STORED.has(place) ? { severity: 'medium' as const } : {};
	file.report('hidden-callable', value, `${what} is ${where}, to be called out of sight`, severity);
	// Passed to a call at module level, it may well run on import; stored, it runs later.
	const deferred =
		place !== 'argument_list' && place !== 'arguments' && place !== 'keyword_argument';
	file.report(kind, value, `${what} ${MESSAGES[kind]} where it is finally called`, { deferred });
}

/** Calls that only look at a value: a dangerous function passed to them runs nowhere. */
const TYPE_CHECKS = new Set([
	'isinstance',
	'issubclass',
	'type',
	'id',
	'callable',
	'hasattr',
	'print',
	'repr',
	'str',
	'hash',
	'inspect.signature',
	'inspect.getsource',
	'inspect.isfunction',
	'inspect.isbuiltin',
	'mock.patch.object',
]);

const WRAPPERS = new Set(['staticmethod', 'classmethod', 'property']);

const PY_VALUE = '[(identifier) (attribute)]';
const JS_VALUE = '[(identifier) (member_expression)]';

function python(query: string, place: string): Matcher {
	return {
		family: 'python',
		query,
		check: ({ value }, file) => check(value, place, file),
	};
}

function js(query: string, place: string): Matcher {
	return {
		family: 'js',
		query,
		check: ({ value }, file) => check(value, place, file),
	};
}

/** `.bind`, `.call`, `.apply`, also chained (`Function.call.call(...)`). */
function checkBound(member: Node | undefined, file: FileContext): void {
	let object = member?.childForFieldName('object') ?? null;
	for (let i = 0; object !== null && i < 4; i++) {
		const property =
			object.type === 'member_expression' ? object.childForFieldName('property') : null;
		if (property === null || !/^(?:bind|call|apply)$/.test(property.text)) break;
		object = object.childForFieldName('object');
	}
	if (object !== null) check(object, 'bound', file);
}

export const hiddenCallableMatchers: readonly Matcher[] = [
	{
		family: 'python',
		query: `(call function: (_) @fn arguments: (argument_list ${PY_VALUE} @value))`,
		check({ fn, value }, file) {
			// `isinstance(p, subprocess.Popen)` compares a type; it calls nothing. Test helpers
			// (`assertRaises(TypeError, eval, ...)`) call it to see it fail.
			if (fn === undefined || TYPE_CHECKS.has(fn.text)) return;
			const last = /[\w$]+$/.exec(fn.text)?.[0] ?? '';
			if (/^(?:assert|fail|check)[A-Z_]\w*$/.test(last) || /\.patch\.object$/.test(fn.text)) return;
			// `staticmethod(__import__)` wraps it to store it, like a class attribute.
			check(value, WRAPPERS.has(last) ? 'class_attribute' : 'argument_list', file);
		},
	},
	python(`(keyword_argument value: ${PY_VALUE} @value)`, 'keyword_argument'),
	python(`(list ${PY_VALUE} @value)`, 'list'),
	python(`(tuple ${PY_VALUE} @value)`, 'tuple'),
	python(`(set ${PY_VALUE} @value)`, 'set'),
	python(`(pair value: ${PY_VALUE} @value)`, 'pair'),
	python(`(default_parameter value: ${PY_VALUE} @value)`, 'default_parameter'),
	python(`(typed_default_parameter value: ${PY_VALUE} @value)`, 'typed_default_parameter'),
	python(`(decorator ${PY_VALUE} @value)`, 'decorator'),
	python(`(return_statement ${PY_VALUE} @value)`, 'return_statement'),
	python(`(yield ${PY_VALUE} @value)`, 'yield'),
	python(`(lambda body: ${PY_VALUE} @value)`, 'lambda'),
	python(`(conditional_expression ${PY_VALUE} @value)`, 'conditional_expression'),
	python(
		`(class_definition body: (block (expression_statement (assignment right: ${PY_VALUE} @value))))`,
		'class_attribute',
	),
	python(
		`(assignment left: [(attribute) (subscript)] right: ${PY_VALUE} @value)`,
		'attribute_assignment',
	),
	js(`(arguments ${JS_VALUE} @value)`, 'arguments'),
	js(`(array ${JS_VALUE} @value)`, 'array'),
	js(`(pair value: ${JS_VALUE} @value)`, 'pair'),
	js(`(assignment_pattern right: ${JS_VALUE} @value)`, 'assignment_pattern'),
	js(`(return_statement ${JS_VALUE} @value)`, 'return_statement'),
	js(`(yield_expression ${JS_VALUE} @value)`, 'yield_expression'),
	js(`(arrow_function body: ${JS_VALUE} @value)`, 'arrow_function'),
	js(`(ternary_expression ${JS_VALUE} @value)`, 'ternary_expression'),
	js(
		`(assignment_expression left: [(member_expression) (subscript_expression)] right: ${JS_VALUE} @value)`,
		'attribute_assignment',
	),
	{
		family: 'js',
		query: '(formal_parameters) @params',
		check({ params }, file) {
			for (const param of params?.namedChildren ?? []) {
				if (param.type === 'required_parameter' || param.type === 'optional_parameter') {
					check(param.childForFieldName('value') ?? undefined, 'assignment_pattern', file);
				}
			}
		},
	},
	{
		family: 'js',
		query: '(class_body) @body',
		check({ body }, file) {
			for (const member of body?.namedChildren ?? []) {
				if (member.type === 'field_definition' || member.type === 'public_field_definition') {
					check(member.childForFieldName('value') ?? undefined, 'class_attribute', file);
				}
			}
		},
	},
	{
		family: 'js',
		query:
			'(member_expression property: (property_identifier) @property (#match? @property "^(bind|call|apply)$")) @member',
		needs: /\.(?:bind|call|apply)\b/,
		check: ({ member }, file) => checkBound(member, file),
	},
];
