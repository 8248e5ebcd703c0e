/** The host shows the library's enforcement labels (D29): one table, so the two cannot drift. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as library from '@vouch/library';
import { capabilityLabels, describeEnforcement } from '../src/index.ts';

describe('the host capability labels', () => {
	it('are the library table itself', () => {
		assert.equal(capabilityLabels, library.capabilityLabels);
		assert.equal(describeEnforcement, library.describeEnforcement);
	});
});
