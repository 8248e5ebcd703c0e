import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAccounts } from '../../src/admin/accounts.ts';
import { verifyPassword } from '../../src/admin/secrets.ts';
import { openServiceDb } from '../../src/db/open.ts';
import { forEachEngine } from '../engines.ts';

const PASSWORD = 'correct horse battery staple';

describe('sign-in', () => {
	it('does the same password work whether or not the account exists', async (t) => {
		await forEachEngine(t, async ({ options }) => {
			const database = await openServiceDb(options);
			try {
				const checks: string[] = [];
				const accounts = createAccounts({
					db: database.db,
					clock: () => new Date('2026-06-01T12:00:00Z'),
					verifyPassword: async (password, stored) => {
						checks.push(password);
						return verifyPassword(password, stored);
					},
				});
				const alice = await accounts.create('alice', 'maintainer', PASSWORD);
				await accounts.create('tokens-only', 'maintainer');

				const cases: [string, string, boolean][] = [
					['alice', PASSWORD, true],
					['alice', 'wrong password!', false],
					['nobody', 'wrong password!', false],
					['nobody', PASSWORD, false],
					// An account without a password (API tokens only) cannot sign in, at the same cost.
					['tokens-only', PASSWORD, false],
				];
				for (const [name, password, ok] of cases) {
					checks.length = 0;
					const account = await accounts.signIn(name, password);
					assert.equal(account?.id, ok ? alice.id : undefined, `${name}/${password}`);
					// One password hash computed for every attempt: the timing does not say which
					// names exist.
					assert.deepEqual(checks, [password], `${name}: one check`);
				}
			} finally {
				await database.close();
			}
		});
	});
});
