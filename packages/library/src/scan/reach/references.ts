/**
 * References to dangerous functions in any value position (arguments, defaults, decorators,
 * containers, `.bind`/`.call`/`.apply`, returns) and calls of listed functions the category
 * rules do not know: a function handed along reaches its capability as a call does.
 */
import type { Node } from 'web-tree-sitter';
import type { FileContext, Matcher } from '../engine/matcher.ts';
import { callMatchers } from '../rules/shared.ts';
import { reachOfName } from './callables.ts';
import { evidence, PASSED_AS_VALUE, resolvedRoot } from './evidence.ts';

/** Evaluators whose calls code-exec judges: a fixed string run is not dynamic code. */
const JUDGED_BY_LITERAL = new Set([
	'builtins.eval',
	'builtins.exec',
	'builtins.compile',
	'eval',
	'Function',
]);

/** Calls of the listed functions the category rules do not know (`process.execve`, `shelve.open`). */
const listedCalls = callMatchers(['python', 'js'], (site, file) => {
	if (site.name === undefined || JUDGED_BY_LITERAL.has(site.name)) return;
	if (!resolvedRoot(file, site.callee)) return;
	const reach = reachOfName(file.family, site.name);
	if (reach !== undefined && reach.why === site.name.replace(/^builtins\./, '')) {
		evidence(file, reach.reach, site.call, `calls ${reach.why}`);
	}
});

// ---- references ----------------------------------------------------------------------------

const PY_VALUE = '[(identifier) (attribute)]';
const PY_REFERENCES = `
(call function: (_) @fn arguments: (argument_list ${PY_VALUE} @ref))
(call function: (_) @fn arguments: (argument_list (keyword_argument value: ${PY_VALUE} @ref)))
(decorator ${PY_VALUE} @ref)
(class_definition superclasses: (argument_list ${PY_VALUE} @stored))
(default_parameter value: ${PY_VALUE} @stored)
(typed_default_parameter value: ${PY_VALUE} @stored)
(list ${PY_VALUE} @stored)
(tuple ${PY_VALUE} @stored)
(set ${PY_VALUE} @stored)
(pair value: ${PY_VALUE} @stored)
(assignment left: (attribute) right: ${PY_VALUE} @stored)
(assignment left: (subscript) right: ${PY_VALUE} @stored)
(return_statement ${PY_VALUE} @stored)
(lambda body: ${PY_VALUE} @stored)
(conditional_expression ${PY_VALUE} @stored)
(boolean_operator ${PY_VALUE} @stored)
`;

const JS_VALUE = '[(identifier) (member_expression)]';
const JS_REFERENCES = `
(call_expression function: (_) @fn arguments: (arguments ${JS_VALUE} @ref))
(new_expression constructor: (_) @fn arguments: (arguments ${JS_VALUE} @ref))
(call_expression function: (member_expression object: ${JS_VALUE} @ref property: (property_identifier) @method (#any-of? @method "call" "apply")))
(call_expression function: (member_expression object: ${JS_VALUE} @stored property: (property_identifier) @method (#eq? @method "bind")))
(assignment_pattern right: ${JS_VALUE} @stored)
(array ${JS_VALUE} @stored)
(pair value: ${JS_VALUE} @stored)
(variable_declarator value: ${JS_VALUE} @stored)
(assignment_expression right: ${JS_VALUE} @stored)
(return_statement ${JS_VALUE} @stored)
(arrow_function body: ${JS_VALUE} @stored)
(sequence_expression ${JS_VALUE} @stored)
(ternary_expression ${JS_VALUE} @stored)
(binary_expression ${JS_VALUE} @stored)
`;

/** Tokens the referenced names end with; the query runs only around them. */
const PY_REFERENCE_HINT =
	/\.\s*(?:system|popen\d?|startfile|fork(?:pty)?|posix_spawnp?|exec[lv]p?e?|spawn[lv]p?e?|create_subprocess_\w+|FunctionType|CodeType|Unpickler|unsafe_load\w*|load_(?:source|module|compiled|dynamic)|spec_from_file_location|module_from_spec|\w+FileLoader|meta_path|path_hooks|rmtree|dlopen|urlopen|urlretrieve|UnsafeLoader|C?Loader)\b|\b(?:os|posix|nt)\s*\.\s*(?:remove|unlink|renames?|replace|rmdir|removedirs|symlink|link|chmod|truncate)\b|\bshutil\s*\.\s*(?:move|copy\w*)\b|\b(?:c?[Pp]ickle|_pickle|dill|cloudpickle|marshal)\s*\.\s*loads?\b|(?<![.\w])(?:eval|exec|compile|__import__|ProcessPoolExecutor)\b/;
const JS_REFERENCE_HINT =
	/\b(?:eval|Function|fetch|XMLHttpRequest|WebSocket|EventSource|sendBeacon|WebAssembly|Deno|Bun|spawn\w*|exec\w*|fork|dlopen|binding|Command|write\w*|append\w*|createWriteStream|copyFile\w*|rm\w*|unlink\w*|rename\w*|symlink\w*)\b/;

const CONSTANT = /^[A-Z][A-Z0-9_]*$/;
/** Calls that wrap a function without calling it, and names that are data, not functions. */
const WRAPPERS =
	/^(?:staticmethod|classmethod|property|(?:functools\.)?(?:partial|partialmethod|wraps|lru_cache|cache)|(?:typing\.)?cast)$/;
const NOT_CALLABLE = new Set(['sys.meta_path', 'sys.path_hooks']);

function checkReference(node: Node, file: FileContext, passed: boolean, fn?: Node): void {
	if (!resolvedRoot(file, node)) return;
	const name = file.nameOf(node);
	const reach = reachOfName(file.family, name);
	if (reach === undefined || name === undefined) return;
	// `stdout=subprocess.PIPE`, `socket.AF_INET`: a constant of the module, not a function to call.
	const called =
		passed &&
		!CONSTANT.test(name.slice(name.lastIndexOf('.') + 1)) &&
		!NOT_CALLABLE.has(name) &&
		!(fn !== undefined && WRAPPERS.test(fn.text));
	const how = called ? PASSED_AS_VALUE : 'kept as a value';
	evidence(file, reach.reach, node, `${how}, to be called out of sight: ${reach.why}`, called);
}

export const referenceMatchers: readonly Matcher[] = [
	...listedCalls,
	{
		family: 'python',
		query: PY_REFERENCES,
		needs: PY_REFERENCE_HINT,
		check({ ref, stored, fn }, file) {
			if (ref !== undefined) checkReference(ref, file, true, fn);
			else if (stored !== undefined) checkReference(stored, file, false);
		},
	},
	{
		family: 'js',
		query: JS_REFERENCES,
		needs: JS_REFERENCE_HINT,
		check({ ref, stored, fn }, file) {
			if (ref !== undefined) checkReference(ref, file, true, fn);
			else if (stored !== undefined) checkReference(stored, file, false);
		},
	},
];
