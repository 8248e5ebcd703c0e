import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRegistryText } from '../../../src/registry/parse.ts';
import { changedPlugins } from '../../../src/registry/review/changed.ts';

function entry(id: string, uuid: string, extra = ''): string {
	return `[[plugins]]
id = "${id}"
uuid = "${uuid}"
name = "${id}"
description = "d"
git_url = "https://example.org/${id}"
trust_level = "community"
${extra}
`;
}

const A = entry('alpha', '11111111-1111-4111-8111-111111111111');
const B = entry('beta', '22222222-2222-4222-8222-222222222222');
const C = entry('gamma', '33333333-3333-4333-8333-333333333333');

function parse(text: string) {
	return parseRegistryText(`api_version = "3.0"\n${text}`, { label: 'x' });
}

describe('changed plugins', () => {
	it('finds exactly the added and the changed entries, not moved or removed ones', () => {
		const before = parse(A + B + C);
		const after = parse(
			`${C}\n# a comment\n${entry('alpha', '11111111-1111-4111-8111-111111111111', 'categories = ["metadata"]')}${entry('delta', '44444444-4444-4444-8444-444444444444')}`,
		);
		const changed = changedPlugins(before, after).map((c) => [c.plugin.id, c.change]);
		assert.deepEqual(changed, [
			['alpha', 'changed'],
			['delta', 'added'],
		]);
	});

	it('an entry whose id changes but keeps its UUID is a change, not an addition', () => {
		const before = parse(A);
		const after = parse(entry('alpha2', '11111111-1111-4111-8111-111111111111'));
		assert.deepEqual(
			changedPlugins(before, after).map((c) => [c.plugin.id, c.change, c.before?.id]),
			[['alpha2', 'changed', 'alpha']],
		);
	});

	it('no change, no review', () => {
		assert.deepEqual(changedPlugins(parse(A + B), parse(B + A)), []);
	});
});
