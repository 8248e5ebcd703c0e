/**
 * The publisher lease on both engines: one holder at a time, a takeover only after expiry,
 * a new epoch for every new holding, renewals only under the epoch held, and a race for the
 * very first row (the INSERT) that exactly one process wins.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openServiceDb, type ServiceDb } from '../../src/db/open.ts';
import { createLease } from '../../src/publish/lease.ts';
import { forEachEngine } from '../engines.ts';

function fakeClock(start = Date.parse('2026-06-01T12:00:00Z')) {
	let now = start;
	return { now: () => new Date(now), advance: (ms: number) => (now += ms) };
}

test('the lease: one holder, takeover after expiry, fencing epochs', async (t) => {
	await forEachEngine(t, async ({ options }) => {
		const service = await openServiceDb(options);
		try {
			const clock = fakeClock();
			const a = createLease({ db: service.db, holder: 'a', clock: clock.now, durationMs: 10_000 });
			const b = createLease({ db: service.db, holder: 'b', clock: clock.now, durationMs: 10_000 });

			const first = await a.acquire();
			assert.equal(first?.epoch, 1);
			assert.equal(await b.acquire(), undefined, 'b cannot take a live lease');

			clock.advance(9_000);
			const renewed = await a.renew(1);
			assert.equal(renewed?.epoch, 1, 'a renewal keeps the epoch');
			clock.advance(9_000);
			assert.equal(await b.acquire(), undefined, 'the renewal moved the expiry on');

			clock.advance(1_001);
			const taken = await b.acquire();
			assert.equal(taken?.epoch, 2, 'a takeover after expiry is a new epoch');
			assert.equal(await a.renew(1), undefined, 'the old holder cannot renew');
			await a.release(1);
			assert.equal((await a.read())?.holder, 'b', 'nor release what it no longer holds');

			await b.release(2);
			const back = await a.acquire();
			assert.equal(back?.epoch, 3, 'a released lease is free at once, under a new epoch');
			// A restart under the same name is a new holding too: its old epoch is fenced off.
			const again = await a.acquire();
			assert.equal(again?.epoch, 4);
			assert.equal(await a.renew(3), undefined);
		} finally {
			await service.close();
		}
	});
});

test('many processes racing for a fresh lease: exactly one wins', async (t) => {
	await forEachEngine(t, async ({ options }) => {
		const opened: ServiceDb[] = [];
		try {
			// Separate connections (pools on PostgreSQL), as separate processes would have.
			for (let i = 0; i < 6; i++) opened.push(await openServiceDb(options));
			const clock = fakeClock();
			const grants = await Promise.all(
				opened.map((service, i) =>
					createLease({ db: service.db, holder: `p${i}`, clock: clock.now }).acquire(),
				),
			);
			const winners = grants.filter((grant) => grant !== undefined);
			assert.equal(winners.length, 1, 'one process holds the lease');
			assert.equal(winners[0]?.epoch, 1);
			// After expiry, they race again: again exactly one wins, under the next epoch.
			clock.advance(60_000);
			const second = await Promise.all(
				opened.map((service, i) =>
					createLease({ db: service.db, holder: `q${i}`, clock: clock.now }).acquire(),
				),
			);
			const next = second.filter((grant) => grant !== undefined);
			assert.equal(next.length, 1);
			assert.equal(next[0]?.epoch, 2);
		} finally {
			for (const service of opened) await service.close();
		}
	});
});

test('lease options that cannot be honoured are refused', async (t) => {
	await forEachEngine(t, async ({ options }) => {
		const service = await openServiceDb(options);
		try {
			const clock = fakeClock();
			for (const bad of [{ durationMs: 0 }, { durationMs: 1.5 }, { holder: '' }]) {
				assert.throws(
					() => createLease({ db: service.db, holder: 'x', clock: clock.now, ...bad }),
					(error: unknown) => (error as { code?: string }).code === 'INVALID_OPTIONS',
				);
			}
		} finally {
			await service.close();
		}
	});
});
