/**
 * The automatic soft quarantine: two distinct trusted reporters saying malware, or a scan rule
 * that only malware matches, quarantine a plugin softly for 72 hours; a sweep lapses it unless
 * a maintainer confirms; never from anonymous reports, never twice from one reporter, never
 * hard, and sweeps in two places at once lapse it once.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { malwareRulesIn } from '../../src/incidents/auto-quarantine.ts';
import { forEachEngine } from '../engines.ts';
import {
	ALICE,
	blacklistEntries,
	malwareReport,
	openWorld,
	PLUGINS,
	trustedReporter,
	type World,
} from './world.ts';

const HOURS = 60 * 60 * 1000;

async function actions(world: World) {
	return world.database.db.selectFrom('incident_actions').selectAll().orderBy('id').execute();
}

describe('automatic soft quarantine', () => {
	it('two distinct trusted reporters quarantine softly, even a trusted plugin; the sweep lapses it', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const plugin = PLUGINS.trusted;
				await world.service.submitReport(malwareReport(plugin.id), trustedReporter(1, 'rita'));
				// The same reporter again, from elsewhere, and anonymous reports: not enough.
				await world.service.submitReport(
					malwareReport(plugin.id),
					trustedReporter(1, 'rita', '192.0.2.99'),
				);
				for (let i = 1; i <= 3; i++) {
					await world.service.submitReport(malwareReport(plugin.id), {
						clientAddress: `198.51.100.${i}`,
					});
				}
				// A trusted reporter saying something else than malware: not enough either.
				await world.service.submitReport(
					{ plugin: { id: plugin.id }, kind: 'broken', details: 'crashes', evidence: [] },
					trustedReporter(2, 'sam'),
				);
				assert.equal((await actions(world)).length, 0);
				assert.equal((await blacklistEntries(world.store)).length, 0);

				await world.service.submitReport(malwareReport(plugin.id), trustedReporter(3, 'tom'));
				const [action] = await actions(world);
				assert.equal(action?.kind, 'soft_quarantine');
				assert.equal(action?.state, 'applied');
				assert.equal(action?.automatic, 1);
				assert.equal(action?.requested_by, 'vouch-service');
				assert.equal(
					action?.expires_at,
					new Date(world.clock.now().getTime() + 72 * HOURS).toISOString(),
				);
				const [entry] = await blacklistEntries(world.store);
				assert.equal(entry?.severity, 'soft', 'never hard, and a trusted plugin only softly');
				// A further report does not quarantine again.
				await world.service.submitReport(malwareReport(plugin.id), trustedReporter(4, 'uma'));
				assert.equal((await actions(world)).length, 1);

				world.clock.advance(71 * HOURS);
				assert.deepEqual(await world.service.sweep(), { expired: 0 });
				world.clock.advance(1 * HOURS);
				// Two sweeps at once (two processes) lapse it once.
				const [one, two] = await Promise.all([world.service.sweep(), world.service.sweep()]);
				assert.equal((one?.expired ?? 0) + (two?.expired ?? 0), 1);
				assert.equal((await actions(world))[0]?.state, 'expired');
				assert.equal((await blacklistEntries(world.store)).length, 0);
				const incident = await world.database.db
					.selectFrom('incidents')
					.selectAll()
					.executeTakeFirstOrThrow();
				assert.equal(incident.state, 'received', 'the state stays for a maintainer');
				const expiry = await world.database.db
					.selectFrom('incident_events')
					.selectAll()
					.where('kind', '=', 'expiry')
					.execute();
				assert.equal(expiry.length, 1);
				assert.equal(expiry[0]?.actor_name, 'vouch-service');
				// A fresh report by another trusted reporter does not quarantine again: it is a maintainer's call now.
				await world.service.submitReport(malwareReport(plugin.id), trustedReporter(5, 'vic'));
				assert.equal((await actions(world)).length, 1);
			} finally {
				await world.close();
			}
		});
	});

	it('a maintainer confirming the incident makes the quarantine permanent', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const plugin = PLUGINS.community;
				await world.service.submitReport(malwareReport(plugin.id), trustedReporter(1, 'rita'));
				const receipt = await world.service.submitReport(
					malwareReport(plugin.id),
					trustedReporter(2, 'sam'),
				);
				await world.service.transition(receipt.incidentId, 'investigating', ALICE, 'Looking');
				await world.service.transition(receipt.incidentId, 'confirmed', ALICE, 'It is malware');
				assert.equal((await actions(world))[0]?.expires_at, null);
				world.clock.advance(100 * HOURS);
				assert.deepEqual(await world.service.sweep(), { expired: 0 });
				assert.equal((await blacklistEntries(world.store)).length, 1);
			} finally {
				await world.close();
			}
		});
	});

	it('a high-confidence malware rule in the stored scan of the current commit quarantines once', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const finding = (ruleId: string, severity: string, confidence: string) => ({
					ruleId,
					severity,
					confidence,
					message: 'm',
					why: 'w',
					fix: 'f',
					category: 'c',
				});
				await world.database.db
					.insertInto('scan_reports')
					.values([
						{
							plugin_id: PLUGINS.official.id,
							commit_sha: 'a'.repeat(40),
							ref_name: 'main',
							report_json: JSON.stringify({ findings: [finding('reverse-shell', 'high', 'high')] }),
							created_at: '2026-05-01T00:00:00.000Z',
						},
						{
							plugin_id: PLUGINS.community.id,
							commit_sha: 'b'.repeat(40),
							ref_name: 'main',
							// High, but not high confidence, or not a malware rule: no quarantine.
							report_json: JSON.stringify({
								findings: [
									finding('exfiltration', 'high', 'medium'),
									finding('obfuscation-packed', 'high', 'high'),
								],
							}),
							created_at: '2026-05-01T00:00:00.000Z',
						},
					])
					.execute();
				await world.service.sweep();
				const [action, ...rest] = await actions(world);
				assert.equal(rest.length, 0);
				assert.equal(action?.kind, 'soft_quarantine');
				assert.equal(action?.automatic, 1);
				const [entry] = await blacklistEntries(world.store);
				assert.equal(entry?.uuid, PLUGINS.official.uuid);
				assert.equal(entry?.severity, 'soft', 'an official plugin is only ever softly quarantined');
				world.clock.advance(73 * HOURS);
				assert.deepEqual(await world.service.sweep(), { expired: 1 });
				// The same scan does not quarantine it again after the lapse.
				assert.deepEqual(await world.service.sweep(), { expired: 0 });
				assert.equal((await actions(world)).length, 1);
			} finally {
				await world.close();
			}
		});
	});

	it('reads findings defensively', () => {
		assert.deepEqual(malwareRulesIn('not json'), []);
		assert.deepEqual(malwareRulesIn('{"findings": 3}'), []);
		assert.deepEqual(malwareRulesIn('{"findings": [null, 1, {"ruleId": "reverse-shell"}]}'), []);
		assert.deepEqual(
			malwareRulesIn(
				'{"findings": [{"ruleId": "code-exec-decoded", "severity": "high", "confidence": "high"}]}',
			),
			['code-exec-decoded'],
		);
	});
});
