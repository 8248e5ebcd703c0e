/**
 * SARIF output validated against a subset of the SARIF 2.1.0 JSON schema kept in the fixtures
 * (no network here), through zod's JSON Schema reader. The validator is shown to reject broken
 * logs too, so a pass means something.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { z } from 'zod';
import { RULES, toSarif } from '../../src/scan/index.ts';
import { FIXTURES, scan } from './support.ts';

/**
 * zod reads `format: uri-reference` as an absolute URL, but SARIF locations are relative
 * references (RFC 3986 §4.1). The format is checked here with the RFC's character set instead.
 */
const URI_REFERENCE = "^(?:[A-Za-z0-9\\-._~:/?#\\[\\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$";

function relaxUriReference(node: unknown): unknown {
	if (Array.isArray(node)) return node.map(relaxUriReference);
	if (node === null || typeof node !== 'object') return node;
	const out: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(node)) out[key] = relaxUriReference(value);
	if (out.format === 'uri-reference') {
		delete out.format;
		out.pattern = URI_REFERENCE;
	}
	return out;
}

const schemaText = readFileSync(join(FIXTURES, 'sarif-2.1.0-subset.schema.json'), 'utf8');
const validator = z.fromJSONSchema(relaxUriReference(JSON.parse(schemaText)) as never, {
	defaultTarget: 'draft-7',
});

function validate(log: unknown): string[] {
	const result = validator.safeParse(log);
	return result.success
		? []
		: result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

interface SarifLocation {
	physicalLocation: {
		artifactLocation: { uri: string; uriBaseId?: string };
		region?: { startLine: number; startColumn: number; snippet: { text: string } };
	};
}

interface SarifResult {
	ruleId: string;
	ruleIndex: number;
	level: string;
	message?: { text: string };
	locations?: SarifLocation[];
	[key: string]: unknown;
}

interface SarifLog {
	version: string;
	runs: {
		tool: { driver: { rules: { id: unknown }[] } };
		results: SarifResult[];
		originalUriBaseIds: Record<string, { uri: string }>;
		invocations: Record<string, unknown>[];
	}[];
}

async function sarifOf(dir: string): Promise<SarifLog> {
	return JSON.parse(JSON.stringify(toSarif(await scan(dir)))) as SarifLog;
}

function firstRun(log: SarifLog) {
	const run = log.runs[0];
	assert.ok(run !== undefined);
	return run;
}

function firstLocation(result: SarifResult | undefined) {
	const location = result?.locations?.[0]?.physicalLocation;
	assert.ok(location !== undefined);
	return location;
}

test('SARIF of a malicious sample is valid SARIF 2.1.0', async () => {
	const log = await sarifOf(join(FIXTURES, 'malicious', 'browser-cookies'));
	assert.deepEqual(validate(log), []);
	assert.equal(log.version, '2.1.0');
	const run = firstRun(log);
	assert.ok(run.results.length > 0);
	assert.equal(run.tool.driver.rules.length, RULES.length);
});

test('every result points at its rule, a relative location and a level', async () => {
	const log = await sarifOf(join(FIXTURES, 'malicious', 'ssh-key-thief'));
	const run = firstRun(log);
	for (const result of run.results) {
		assert.equal(run.tool.driver.rules[result.ruleIndex]?.id, result.ruleId);
		assert.ok(['error', 'warning', 'note'].includes(result.level));
	}
	const exfil = run.results.find((r) => r.ruleId === 'exfiltration');
	assert.equal(exfil?.level, 'error');
	const location = firstLocation(exfil);
	assert.deepEqual(location.artifactLocation, { uri: '__init__.py', uriBaseId: 'PLUGINROOT' });
	assert.ok(location.region !== undefined);
	assert.ok(location.region.startLine > 1 && location.region.startColumn >= 1);
	assert.match(location.region.snippet.text, /urllib\.request\.Request\(.*data=key/);
	assert.match(run.originalUriBaseIds.PLUGINROOT?.uri ?? '', /^file:\/\/\/.*\/$/);
});

test('skipped files become tool notifications, and the whole log stays valid', async () => {
	const log = await sarifOf(join(FIXTURES, 'malicious', 'native-payload'));
	assert.deepEqual(validate(log), []);
	const binary = firstRun(log).results.find((r) => r.ruleId === 'native-binary');
	assert.equal(firstLocation(binary).region, undefined);
});

test('the validator rejects what SARIF 2.1.0 forbids', async () => {
	const log = await sarifOf(join(FIXTURES, 'malicious', 'env-stealer'));
	// Each change breaks one rule of the standard; the log is edited as plain JSON.
	type Json = Record<string, unknown> & { runs: Record<string, unknown>[] };
	const broken = (change: (copy: Json, run: SarifLog['runs'][number]) => void) => {
		const copy = structuredClone(log) as unknown as Json;
		change(copy, copy.runs[0] as unknown as SarifLog['runs'][number]);
		return validate(copy);
	};
	const result = (run: SarifLog['runs'][number]) => run.results[0] as SarifResult;
	const where = (run: SarifLog['runs'][number]) => firstLocation(result(run));
	assert.notDeepEqual(
		broken((c) => {
			c.version = '2.0.0';
		}),
		[],
	);
	assert.notDeepEqual(
		broken((_, run) => {
			result(run).level = 'critical';
		}),
		[],
	);
	assert.notDeepEqual(
		broken((_, run) => {
			delete result(run).message;
		}),
		[],
	);
	assert.notDeepEqual(
		broken((_, run) => {
			(where(run).region as { startLine: number }).startLine = 0;
		}),
		[],
	);
	assert.notDeepEqual(
		broken((_, run) => {
			result(run).severity = 'high';
		}),
		[],
	);
	assert.notDeepEqual(
		broken((_, run) => {
			(run.tool.driver.rules[0] as { id: unknown }).id = 7;
		}),
		[],
	);
	assert.notDeepEqual(
		broken((_, run) => {
			where(run).artifactLocation.uri = 'a b.py';
		}),
		[],
	);
	assert.notDeepEqual(
		broken((_, run) => {
			delete run.invocations[0]?.executionSuccessful;
		}),
		[],
	);
});

test('file names are percent-encoded in SARIF URIs', async () => {
	const { makeTempDir } = await import('../helpers/temp.ts');
	const { writeFileSync } = await import('node:fs');
	const dir = makeTempDir('vouch-scan-sarif-');
	writeFileSync(join(dir, 'my plugin#1.py'), 'import os\nos.system(x)\n');
	const log = await sarifOf(dir);
	assert.deepEqual(validate(log), []);
	const uris = firstRun(log).results.map(
		(r) => r.locations?.[0]?.physicalLocation.artifactLocation.uri,
	);
	assert.ok(uris.includes('my%20plugin%231.py'));
});
