/** The blacklist staleness policy (D1), as a table. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
	assessBlacklistFreshness,
	type BlacklistFreshnessInput,
	type BlacklistFreshnessState,
} from '../../src/blacklist/staleness.ts';

const NOW = new Date('2026-03-15T12:00:00Z');
const DAY = 24 * 60 * 60 * 1000;
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY);
const inDays = (days: number) => new Date(NOW.getTime() + days * DAY);

interface Row {
	name: string;
	input: Omit<BlacklistFreshnessInput, 'now' | 'maxStalenessDays'> & { maxStalenessDays?: number };
	state: BlacklistFreshnessState;
	block: boolean;
	ageDays?: number;
}

const ROWS: Row[] = [
	{
		name: 'signed, unexpired',
		input: { signed: true, verifiedExpiresAt: inDays(1), lastFetchedAt: daysAgo(2) },
		state: 'fresh',
		block: false,
		ageDays: 2,
	},
	{
		name: 'signed, unexpired though fetched long ago',
		input: { signed: true, verifiedExpiresAt: inDays(1), lastFetchedAt: daysAgo(30) },
		state: 'fresh',
		block: false,
		ageDays: 30,
	},
	{
		name: 'signed, expiring this instant',
		input: { signed: true, verifiedExpiresAt: NOW, lastFetchedAt: daysAgo(1) },
		state: 'stale',
		block: false,
		ageDays: 1,
	},
	{
		name: 'signed, expired, within the bound',
		input: { signed: true, verifiedExpiresAt: daysAgo(1), lastFetchedAt: daysAgo(14) },
		state: 'stale',
		block: false,
		ageDays: 14,
	},
	{
		name: 'signed, expired, past the bound',
		input: { signed: true, verifiedExpiresAt: daysAgo(1), lastFetchedAt: daysAgo(15) },
		state: 'expired',
		block: true,
		ageDays: 15,
	},
	{
		name: 'signed, expired, fetch time unknown: aged from the expiry',
		input: { signed: true, verifiedExpiresAt: daysAgo(20) },
		state: 'expired',
		block: true,
		ageDays: 20,
	},
	{
		name: 'signed, never verified',
		input: { signed: true, lastFetchedAt: daysAgo(1) },
		state: 'missing',
		block: true,
	},
	{
		name: 'unsigned, recent fetch',
		input: { signed: false, lastFetchedAt: daysAgo(3) },
		state: 'fresh',
		block: false,
		ageDays: 3,
	},
	{
		name: 'unsigned, exactly at the bound',
		input: { signed: false, lastFetchedAt: daysAgo(14) },
		state: 'fresh',
		block: false,
		ageDays: 14,
	},
	{
		name: 'unsigned, past the bound',
		input: { signed: false, lastFetchedAt: daysAgo(14.5) },
		state: 'expired',
		block: true,
		ageDays: 14.5,
	},
	{
		name: 'unsigned, a custom bound',
		input: { signed: false, lastFetchedAt: daysAgo(3), maxStalenessDays: 2 },
		state: 'expired',
		block: true,
		ageDays: 3,
	},
	{
		name: 'unsigned, an expiry is ignored',
		input: { signed: false, verifiedExpiresAt: inDays(5), lastFetchedAt: daysAgo(20) },
		state: 'expired',
		block: true,
		ageDays: 20,
	},
	{ name: 'unsigned, never fetched', input: { signed: false }, state: 'missing', block: true },
	{
		name: 'a fetch time in the future counts as now',
		input: { signed: false, lastFetchedAt: inDays(2) },
		state: 'fresh',
		block: false,
		ageDays: 0,
	},
	{
		name: 'an invalid fetch date counts as never fetched',
		input: { signed: false, lastFetchedAt: new Date('garbage') },
		state: 'missing',
		block: true,
	},
	{
		name: 'a negative bound is the strictest bound',
		input: { signed: false, lastFetchedAt: daysAgo(0.5), maxStalenessDays: -3 },
		state: 'expired',
		block: true,
		ageDays: 0.5,
	},
	{
		name: 'a NaN bound is the strictest bound',
		input: { signed: true, verifiedExpiresAt: daysAgo(0.5), maxStalenessDays: Number.NaN },
		state: 'expired',
		block: true,
		ageDays: 0.5,
	},
];

describe('assessBlacklistFreshness', () => {
	for (const row of ROWS) {
		it(row.name, () => {
			const result = assessBlacklistFreshness({ maxStalenessDays: 14, ...row.input, now: NOW });
			assert.equal(result.state, row.state);
			assert.equal(result.blockUntrustedPlugins, row.block);
			assert.equal(result.ageDays, row.ageDays);
		});
	}

	it('fails safe when the clock itself is invalid', () => {
		const result = assessBlacklistFreshness({
			signed: false,
			lastFetchedAt: daysAgo(1),
			now: new Date(Number.NaN),
			maxStalenessDays: 14,
		});
		assert.equal(result.state, 'missing');
		assert.equal(result.blockUntrustedPlugins, true);
	});
});
