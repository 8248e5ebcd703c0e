/**
 * The enforcement labels (D29) have one home in the library: the host and the registry's pages
 * read the same table, so a capability cannot be "enforced" on one screen and not on another.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
	CAPABILITIES,
	capabilityLabels,
	describeEnforcement,
	nodeEnforcementApplies,
} from '../../src/index.ts';

describe('capability enforcement labels', () => {
	it('label every capability in both modes, and in-process enforces nothing', () => {
		for (const mode of ['in-process', 'isolated'] as const) {
			const labels = capabilityLabels(mode);
			for (const capability of CAPABILITIES)
				assert.ok(
					labels.some((label) => label.capability === capability),
					capability,
				);
			assert.ok(labels.every((label) => label.why.length > 0));
		}
		assert.ok(capabilityLabels('in-process').every((label) => label.label === 'not enforced'));
	});

	it('isolated mode never claims to enforce what Node cannot (raw sockets, signals)', () => {
		const isolated = new Map(capabilityLabels('isolated').map((l) => [l.capability, l.label]));
		assert.equal(isolated.get('raw_sockets'), 'declared only');
		assert.equal(isolated.get('signals'), 'declared only');
		assert.equal(isolated.get('network'), 'brokered');
		assert.equal(isolated.get('subprocess'), 'enforced');
		assert.match(describeEnforcement('in-process')[0] ?? '', /NOT ENFORCED/);
	});

	it("the Node host's notes apply only to a host whose plugins are JavaScript", () => {
		assert.equal(nodeEnforcementApplies({ pluginLanguage: 'javascript' }), true);
		assert.equal(nodeEnforcementApplies({ pluginLanguage: 'python' }), false);
		// A profile that says nothing is Picard's kind: Python.
		assert.equal(nodeEnforcementApplies({}), false);
	});
});
