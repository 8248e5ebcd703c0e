/** Edits of a registry far larger than Picard's: the text editor must not scale with the stack. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SMALL_STACK_MB } from '../../helpers/small-stack-worker.ts';
import { editInSmallStack } from './small-stack-edit.ts';

// A registry of 10,000 plugins (over 160,000 lines) overflows a normal stack when its lines are
// spread as arguments. Half of it is edited here on a stack small enough that the same spread of
// the very same text overflows: the second check shows the first could fail.
test('a key set in a registry too large to spread on the stack (5,000 plugins, 80,000 lines, on a small stack) is written', async () => {
	const edited = await editInSmallStack(5_000, 4321);
	assert.equal(edited.spreadOverflowed, true, `${SMALL_STACK_MB} MiB is too large a stack`);
	assert.ok(edited.lines > 80_000, `${edited.lines} lines`);
	assert.equal(edited.trustLevel, 'community');
	assert.deepEqual(edited.categories, ['other']);
	assert.equal(edited.plugins, 5_000);
});
