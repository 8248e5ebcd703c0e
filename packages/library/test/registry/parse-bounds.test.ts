import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isVouchError } from '../../src/core/errors.ts';
import { MAX_REGISTRY_BYTES, parseRegistryText } from '../../src/registry/parse.ts';
import { loadJson, pluginEntry, registryJson, UUID_A, UUID_B } from './helpers.ts';

function throwsCode(fn: () => unknown, code: string): void {
	assert.throws(fn, (error: unknown) => isVouchError(error) && error.code === code);
}

describe('syntax errors and bounds', () => {
	it('reports the line and column of a TOML syntax error', () => {
		const text = 'api_version = "3.0"\n[[plugins]]\nid = "x\n';
		assert.throws(
			() => parseRegistryText(text, { label: 'bad.toml' }),
			(error: unknown) =>
				isVouchError(error) &&
				error.code === 'REGISTRY_PARSE_ERROR' &&
				error.details?.line === 3 &&
				typeof error.details.column === 'number',
		);
	});

	it('reports a JSON syntax error as a parse error', () => {
		throwsCode(
			() => parseRegistryText('{"plugins": [}', { label: 'bad.json' }),
			'REGISTRY_PARSE_ERROR',
		);
	});

	it('refuses a document whose top level is not a registry', () => {
		throwsCode(() => parseRegistryText('{"plugins": 3}', { label: 'x' }), 'REGISTRY_PARSE_ERROR');
		throwsCode(() => parseRegistryText('plugins = "no"', { label: 'x' }), 'REGISTRY_PARSE_ERROR');
	});

	it('refuses text over the byte limit, counted in UTF-8 bytes', () => {
		const text = `# ${'é'.repeat(60)}\n`; // 63 UTF-16 units, 123 UTF-8 bytes
		throwsCode(() => parseRegistryText(text, { label: 'x', maxBytes: 122 }), 'REGISTRY_TOO_LARGE');
		assert.doesNotThrow(() => parseRegistryText(text, { label: 'x', maxBytes: 123 }));
		assert.equal(MAX_REGISTRY_BYTES, 16 * 1024 * 1024);
	});

	it('refuses deeply nested JSON before parsing it', () => {
		const deep = `{"x": ${'['.repeat(5000)}${']'.repeat(5000)}}`;
		throwsCode(() => parseRegistryText(deep, { label: 'x' }), 'REGISTRY_PARSE_ERROR');
		// Brackets inside strings do not count.
		const inString = registryJson([
			pluginEntry('a', UUID_A, { description: '[[[[[[[[[[[[[[[[[[[[[[' }),
		]);
		assert.equal(parseRegistryText(inString, { label: 'x' }).plugins.length, 1);
	});

	it('refuses deeply nested inline TOML', () => {
		throwsCode(
			() => parseRegistryText(`x = ${'['.repeat(50)}${']'.repeat(50)}\n`, { label: 'x' }),
			'REGISTRY_PARSE_ERROR',
		);
	});

	it('refuses more than 100,000 plugins or blacklist entries', () => {
		const many = `{"plugins": [${Array.from({ length: 100_001 }, () => '{}').join(',')}]}`;
		throwsCode(() => parseRegistryText(many, { label: 'x' }), 'REGISTRY_TOO_LARGE');
		const blacklist = `{"blacklist": [${Array.from({ length: 100_001 }, () => '{}').join(',')}]}`;
		throwsCode(() => parseRegistryText(blacklist, { label: 'x' }), 'REGISTRY_TOO_LARGE');
	});

	it('skips a plugin whose string field is over its length cap', () => {
		const registry = loadJson([
			pluginEntry('long', UUID_A, { name: 'n'.repeat(1001) }),
			pluginEntry('short', UUID_B),
		]);
		assert.deepEqual(
			registry.plugins.map((p) => p.id),
			['short'],
		);
	});
});
