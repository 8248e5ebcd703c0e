/**
 * The rare rules' queries are compiled when a file first contains their token, not before, and
 * compiling one late changes neither the findings nor the file's time bound.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Parser } from 'web-tree-sitter';
import { loadGrammars } from '../../src/scan/engine/grammars.ts';
import { familyOf } from '../../src/scan/engine/matcher.ts';
import { compileLanguage, type LanguageQueries } from '../../src/scan/engine/query-set.ts';
import { createSourceScanner } from '../../src/scan/engine/scan-source.ts';
import { ALL_MATCHERS } from '../../src/scan/rules/index.ts';
import type { SourceLanguage } from '../../src/scan/types.ts';
import { FROZEN_CLOCK } from './support.ts';

const CALLS_EXEC = 'import base64\n\ndef enable(api):\n    exec(base64.b64decode(api.blob))\n';
const PLAIN = 'def enable(api):\n    api.register(lambda track: track)\n';

async function freshScanner() {
	const grammars = await loadGrammars();
	const compiled = new Map<SourceLanguage, LanguageQueries>();
	const queriesFor = (language: SourceLanguage) => {
		let queries = compiled.get(language);
		if (queries === undefined) {
			queries = compileLanguage(grammars[language], familyOf(language), ALL_MATCHERS);
			compiled.set(language, queries);
		}
		return queries;
	};
	const scanner = createSourceScanner(new Parser(), grammars, queriesFor);
	return { scanner, python: () => queriesFor('python') };
}

const options = (clock: () => number, deadline: number) => ({
	clock,
	deadline,
	maxNestingDepth: 100,
});

test('no conditional query is compiled until a file contains its token', async () => {
	const { scanner, python } = await freshScanner();
	const queries = python();
	assert.ok(queries.conditional.length > 5, 'the rare rules are split off the main query');
	assert.equal(queries.main.compiled(), true);
	assert.deepEqual(
		queries.conditional.map((query) => query.compiled()),
		queries.conditional.map(() => false),
	);
	const plain = scanner.scan('plain.py', 'python', PLAIN, options(FROZEN_CLOCK, 1));
	assert.equal(plain.status, 'scanned');
	assert.equal(
		queries.conditional.filter((query) => query.compiled()).length,
		0,
		'a file with no rare token compiles nothing more',
	);
	const risky = scanner.scan('risky.py', 'python', CALLS_EXEC, options(FROZEN_CLOCK, 1));
	assert.equal(risky.status, 'scanned');
	const compiledNow = queries.conditional.filter((query) => query.compiled());
	assert.ok(compiledNow.length > 0, 'the exec rules were compiled for the file that calls exec');
	assert.ok(compiledNow.length < queries.conditional.length, 'and only the ones it needed');
});

test('a late-compiled query finds what an early-compiled one finds', async () => {
	const late = await freshScanner();
	const early = await freshScanner();
	for (const query of early.python().conditional) query.program();
	const lateResult = late.scanner.scan('x.py', 'python', CALLS_EXEC, options(FROZEN_CLOCK, 1));
	const earlyResult = early.scanner.scan('x.py', 'python', CALLS_EXEC, options(FROZEN_CLOCK, 1));
	assert.equal(lateResult.status, 'scanned');
	assert.deepEqual(lateResult, earlyResult);
	assert.ok(
		lateResult.status === 'scanned' && lateResult.findings.some((f) => f.ruleId.includes('exec')),
		'the exec of decoded data is found',
	);
});

test('the time spent compiling a rare query is not counted against the file', async () => {
	const grammars = await loadGrammars();
	const real = compileLanguage(grammars.python, familyOf('python'), ALL_MATCHERS);
	// A clock that moves only while a query is compiled, by far more than the file's bound.
	let now = 0;
	const slowToCompile: LanguageQueries = {
		main: real.main,
		conditional: real.conditional.map((query) => ({
			...query,
			program: () => {
				if (!query.compiled()) now += 1_000_000;
				return query.program();
			},
		})),
	};
	const scanner = createSourceScanner(new Parser(), grammars, () => slowToCompile);
	const result = scanner.scan(
		'x.py',
		'python',
		CALLS_EXEC,
		options(() => now, 10),
	);
	assert.ok(now >= 1_000_000, 'a query was compiled during the scan');
	assert.equal(result.status, 'scanned');
	assert.ok(
		result.status === 'scanned' && result.findings.some((f) => f.ruleId.includes('exec')),
		'the rules after the compile still ran',
	);
	// The same clock jump outside a compile does end the file: the bound itself still holds.
	const again = scanner.scan(
		'y.py',
		'python',
		CALLS_EXEC,
		options(() => (now += 1_000_000), 10),
	);
	assert.equal(again.status, 'timeout');
});
