/**
 * A host application reports a plugin through `createVouch`, as the CLI does: the report is
 * prepared from the install record and the registry, shown (here: inspected), sent to a real
 * service on 127.0.0.1 that parses it with the shared contract, and followed with the token.
 * Without a service nothing is sent, and the codes a host branches on are the library's own.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createVouch, hasCode, type Vouch, type VouchOptions } from '../../src/index.ts';
import { createHostWorld, type HostServedPlugin, type HostWorld } from '../helpers/host-world.ts';
import { type ReportService, startReportService } from '../helpers/report-service.ts';

const ALPHA = { name: 'alpha', uuid: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d' };
const BETA = { name: 'beta', uuid: 'b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e' };
const NOW = new Date('2031-03-04T05:06:07Z');

let world: HostWorld;
let service: ReportService;
let alpha: HostServedPlugin;

function vouchFor(extra: Partial<VouchOptions> = {}): Vouch {
	return createVouch({
		profile: world.profileFile,
		env: world.env,
		cwd: world.root,
		now: () => NOW,
		// The registry is a local file: the only HTTP is the report service's.
		fetch: globalThis.fetch,
		service: service.url,
		hostVersion: 'testhost 4.2',
		...extra,
	});
}

describe('createVouch: report, prepareReport, reportStatus', () => {
	before(async () => {
		world = await createHostWorld();
		service = await startReportService();
		alpha = world.serve(ALPHA);
		const beta = world.serve(BETA);
		world.writeRegistry([alpha, beta], [], 'trusted');
		await vouchFor().install('alpha', { yes: true });
	});
	after(async () => {
		await service?.close();
		await world?.close();
	});

	it('prepares a report about an installed plugin with what the host knows', async () => {
		const vouch = vouchFor();
		const [status] = await vouch.list();
		const request = await vouch.prepareReport('alpha', {
			kind: 'data_theft',
			details: 'Reads the tokens file.',
			evidence: [{ commit: alpha.repo.commitOf(), path: 'MANIFEST.toml', line: 1 }],
		});
		assert.deepEqual(request.host, { profile: 'testhost', version: 'testhost 4.2' });
		assert.equal(request.plugin.id, 'alpha');
		assert.equal(request.plugin.uuid, ALPHA.uuid);
		assert.equal(request.plugin.url, alpha.url);
		assert.equal(request.plugin.commit, alpha.repo.commitOf());
		assert.equal(request.plugin.treeDigest, status?.plugin.treeDigest);
		assert.equal(request.plugin.trust, 'trusted');
		assert.equal(service.requests.length, 0, 'preparing sends nothing');

		const receipt = await vouch.report(request);
		assert.equal(service.requests.length, 1);
		assert.deepEqual(service.requests[0]?.report, request);
		const followed = await vouch.reportStatus(receipt.token);
		assert.equal(followed.reportId, receipt.reportId);
		assert.equal(followed.kind, 'data_theft');
	});

	it('reports a registered plugin that is not installed, from the registry alone', async () => {
		const request = await vouchFor().prepareReport('beta', { kind: 'impersonation' });
		assert.deepEqual(request.plugin, {
			id: 'beta',
			uuid: BETA.uuid,
			url: request.plugin.url,
			trust: 'trusted',
		});
		assert.equal(request.plugin.commit, undefined);
	});

	it('refuses a plugin that is neither installed nor registered', async () => {
		await assert.rejects(vouchFor().prepareReport('gamma', { kind: 'other' }), (error) =>
			hasCode(error, 'NOT_INSTALLED'),
		);
	});

	it('sends nothing without a service, or to plain http on another machine', async () => {
		const before = service.requests.length;
		const request = await vouchFor().prepareReport('alpha', { kind: 'broken' });
		await assert.rejects(vouchFor({ service: undefined }).report(request), (error) =>
			hasCode(error, 'REPORT_NO_SERVICE'),
		);
		await assert.rejects(vouchFor({ service: 'http://example.com/' }).report(request), (error) =>
			hasCode(error, 'REPORT_SERVICE_URL_INVALID'),
		);
		await assert.rejects(vouchFor({ service: undefined }).reportStatus('a'.repeat(43)), (error) =>
			hasCode(error, 'REPORT_NO_SERVICE'),
		);
		assert.equal(service.requests.length, before);
	});

	it('refuses to prepare a report that breaks the contract', async () => {
		await assert.rejects(
			vouchFor().prepareReport('alpha', { kind: 'malware', details: 'x\u001b[2Jy' }),
			(error) => hasCode(error, 'REPORT_INVALID'),
		);
	});
});
