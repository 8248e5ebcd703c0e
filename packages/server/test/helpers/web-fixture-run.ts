/** Runs a body on a web fixture over the hostile registry, once per database engine. */
import type { TestContext } from 'node:test';
import { forEachEngine } from '../engines.ts';
import { HOSTILE_REGISTRY } from './hostile-registry.ts';
import { type WebFixture, webFixture } from './web-app.ts';

export async function withFixture(
	t: TestContext,
	body: (fixture: WebFixture) => Promise<void>,
): Promise<void> {
	await forEachEngine(t, async ({ options }) => {
		const fixture = await webFixture(options, HOSTILE_REGISTRY);
		try {
			await body(fixture);
		} finally {
			await fixture.close();
		}
	});
}

/** A plugin edit the forms accept. */
export const EDIT = {
	trust: 'trusted',
	categories: ['coverart'],
	reason: 'reviewed by two maintainers',
};
