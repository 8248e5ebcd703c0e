/**
 * The propagation benchmark (issue 13 §4), run small: the real service, 20 hosts in two worker
 * threads, a short poll interval. Every host must end up enforcing the blacklist entry added
 * through the admin API, and every figure must be well formed. No figure is held to a time:
 * that is what `npm run bench` reports.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ENFORCED_SHARES, shareFigures } from '../../bench/propagation/figures.ts';
import { runPropagationBench } from '../../bench/propagation/run-propagation-bench.ts';

const HOSTS = 20;
const POLL_MS = 300;

test('every simulated host enforces the new blacklist entry, and the figures are well formed', async () => {
	const result = await runPropagationBench({
		hosts: HOSTS,
		pollMs: POLL_MS,
		workers: 2,
		plugins: 10,
		// Far beyond any machine: the run ends when the last host enforces.
		giveUpMs: 24 * 60 * 60 * 1000,
		print: false,
	});
	assert.equal(result.hosts, HOSTS);
	assert.equal(result.enforced, HOSTS, 'every host blocked its plugin');
	assert.deepEqual(
		result.shares.map((figure) => figure.share),
		[...ENFORCED_SHARES],
	);
	let previous = 0;
	for (const figure of result.shares) {
		assert.ok(figure.ms !== null && figure.intervals !== null, `${figure.share} was reached`);
		// Enforcement follows the publish, never precedes the decision, and shares only grow.
		assert.ok(figure.ms >= previous, 'shares are reached in order');
		assert.ok(figure.ms > 0, 'no host enforced before the decision');
		assert.equal(figure.intervals, figure.ms / POLL_MS);
		previous = figure.ms;
	}
	assert.ok(result.publishMs > 0 && result.adminAnswerMs > 0);
	assert.equal(result.targetMs, result.publishMs + 1.2 * POLL_MS);
	assert.equal(
		result.targetMet,
		(result.shares.find((figure) => figure.share === 0.99)?.ms ?? Infinity) <= result.targetMs,
	);

	// Each host saw exactly one new timestamp after starting to poll: the decision's.
	assert.equal(result.polls.changed, HOSTS);
	assert.equal(result.polls.errors, 0);
	assert.deepEqual(result.polls.errorKinds, {});
	assert.ok(result.polls.notModified > 0, 'hosts polled with their ETag and got 304s');
	const bytes = result.bytesPerPoll;
	// A 304 carries headers only; a 200 also carries the signed timestamp; a refresh fetches
	// at least snapshot, targets and the new blacklist target.
	assert.ok(bytes.notModified > 100, `a 304 is counted on the wire (${bytes.notModified} B)`);
	assert.ok(bytes.changed > bytes.notModified + 300, 'a 200 carries the timestamp');
	assert.ok(bytes.refresh > bytes.changed, 'a refresh fetches more than the timestamp');
	assert.ok(bytes.refreshRequests >= 4, `a refresh makes ${bytes.refreshRequests} requests`);
	assert.ok(bytes.average > bytes.notModified && bytes.average < bytes.refresh);
	assert.ok(result.requestsPerSecond.mean > 0);
	assert.ok(result.requestsPerSecond.peak >= 0);
	assert.ok(result.detection.p50 <= result.detection.p99);
	assert.ok(result.refresh.p50 > 0 && result.refresh.p50 <= result.refresh.p99);
	assert.ok(
		Math.abs(result.simulatorLoad - (HOSTS * result.baseline.refreshAloneMs) / (2 * POLL_MS)) <
			1e-9,
	);
	assert.ok(result.baseline.conditionalGetMs > 0);
	assert.ok(result.baseline.refreshAloneMs > 0);
	// Survives JSON, as `npm run bench -- --json` prints it.
	assert.deepEqual(JSON.parse(JSON.stringify(result)), result);
});

test('share figures count from the slowest host needed, and say never when too few enforced', () => {
	const figures = shareFigures([300, 100, 200, 400], 4, 100);
	assert.deepEqual(
		figures.map((figure) => [figure.share, figure.ms, figure.intervals]),
		[
			[0.5, 200, 2],
			[0.9, 400, 4],
			[0.99, 400, 4],
			[1, 400, 4],
		],
	);
	// Two of four hosts enforced: half of them is reached, 90% never.
	const partial = shareFigures([50, 70], 4, 100);
	assert.deepEqual(
		partial.map((figure) => figure.ms),
		[70, null, null, null],
	);
	// 99% of 1,000 hosts is the 990th.
	const many = Array.from({ length: 1000 }, (_, i) => i + 1);
	assert.equal(shareFigures(many, 1000, 1)[2]?.ms, 990);
});
