/**
 * Code execution: Python eval/exec/compile and code-object construction; JavaScript eval, the
 * Function constructor, the vm module and string timers. Each call is also an `exec` sink, so
 * the flow pass can tell when decoded data reaches it.
 */
import type { Node } from 'web-tree-sitter';
import type { FileContext, Matcher, ReportOptions } from '../engine/matcher.ts';
import { positionalArgs } from '../engine/syntax.ts';
import { type CallSite, callMatchers, NameTable, shown } from './shared.ts';

/**
 * Loaders of serialised data that run code: unpickling calls whatever callables the data names,
 * and unsafe YAML builds any object the document names. Code execution in data's clothing; the
 * reach rules use the same list.
 */
export const LOADS_RUN_CODE: readonly string[] = [
	'pickle.loads',
	'pickle.load',
	'pickle.Unpickler',
	'_pickle.loads',
	'_pickle.load',
	'cPickle.loads',
	'cPickle.load',
	'dill.loads',
	'dill.load',
	'cloudpickle.loads',
	'cloudpickle.load',
	'yaml.unsafe_load',
	'yaml.unsafe_load_all',
];

const PY_EXEC = new NameTable([
	'builtins.eval',
	'builtins.exec',
	'builtins.compile',
	'types.FunctionType',
	'types.CodeType',
	'code.InteractiveInterpreter',
	'code.InteractiveConsole',
	'code.interact',
	...LOADS_RUN_CODE,
]);

const JS_EXEC = new NameTable([
	'eval',
	'Function',
	'vm.runInNewContext',
	'vm.runInThisContext',
	'vm.runInContext',
	'vm.compileFunction',
	'vm.Script',
	'vm.createScript',
	'vm.SourceTextModule',
	'*._compile',
]);

/** Timers run a string argument as code, like eval. */
const JS_STRING_TIMERS = new Set(['setTimeout', 'setInterval', 'setImmediate']);

/** The argument holding the code: the last one for `new Function(a, b, body)`. */
function codeArgument(site: CallSite): Node | undefined {
	const args = positionalArgs(site.args);
	return site.name === 'Function' ? args[args.length - 1] : args[0];
}

function reportExec(site: CallSite, file: FileContext, code: Node | undefined): void {
	const what = shown(site.name, site.callee.text);
	const bare = site.callee.type === 'identifier' ? site.callee.text : undefined;
	// A file that defines its own `eval` may be calling that one; say so through confidence.
	const options: ReportOptions =
		bare !== undefined && file.isShadowed(bare) ? { confidence: 'low' } : {};
	if (code !== undefined && file.isConstant(code)) {
		file.report('code-exec-literal', site.call, `${what} runs a fixed string as code`, options);
	} else {
		file.report('code-exec', site.call, `${what} runs code built at run time`, options);
	}
	file.flowSink(site.call, site.args, 'exec', what);
}

function checkPython(site: CallSite, file: FileContext): void {
	if (!PY_EXEC.hasName(site.name)) return;
	reportExec(site, file, codeArgument(site));
}

function checkJs(site: CallSite, file: FileContext): void {
	if (site.name !== undefined && JS_STRING_TIMERS.has(site.name)) {
		const first = positionalArgs(site.args)[0];
		// Only a string (or string expression) is run as code; a function is just called.
		const stringy =
			first !== undefined &&
			(file.stringValue(first) !== undefined ||
				first.type === 'template_string' ||
				first.type === 'binary_expression');
		if (stringy) reportExec(site, file, first);
		// A name may hold a function or a string: only decoded or received data reaching it is
		// judged, by the flow pass.
		else if (first !== undefined && first.type === 'identifier') {
			file.flowSink(site.call, first, 'exec', site.name);
		}
		return;
	}
	if (JS_EXEC.hasName(site.name) || JS_EXEC.hasMethod(site.method)) {
		reportExec(site, file, codeArgument(site));
	}
}

/** Evaluators handed over as values (`map(exec, xs)`, `(0, eval)(s)`): called out of sight. */
const PY_EVALUATORS = new Set(['builtins.eval', 'builtins.exec', 'builtins.compile']);
const JS_EVALUATORS = new Set(['eval', 'Function']);

function checkValue(value: Node | undefined, file: FileContext, evaluators: Set<string>): void {
	if (value === undefined) return;
	const name = file.nameOf(value);
	if (name === undefined || !evaluators.has(name)) return;
	const options: ReportOptions = file.isShadowed(value.text) ? { confidence: 'low' } : {};
	const what = shown(name, value.text);
	file.report(
		'code-exec',
		value,
		`${what} is passed on as a value, to run code elsewhere`,
		options,
	);
}

export const codeExecMatchers: readonly Matcher[] = [
	...callMatchers(['python'], checkPython),
	...callMatchers(['js'], checkJs),
	{
		family: 'python',
		query:
			'(argument_list (identifier) @value) (list (identifier) @value) (tuple (identifier) @value) (pair value: (identifier) @value)',
		needs: /\b(?:eval|exec|compile)\b/,
		check: ({ value }, file) => checkValue(value, file, PY_EVALUATORS),
	},
	{
		family: 'js',
		query:
			'(arguments (identifier) @value) (array (identifier) @value) (sequence_expression (identifier) @value) (pair value: (identifier) @value)',
		needs: /\b(?:eval|Function)\b/,
		check: ({ value }, file) => checkValue(value, file, JS_EVALUATORS),
	},
];
