/**
 * The `--json` documents of `vouch report` and `vouch report status`, checked against the
 * committed schemas on real output, against a stand-in service on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import {
	type ReportService,
	startReportService,
} from '../../../library/test/helpers/report-service.ts';
import { createWorld, registryEntry, type World } from '../lifecycle/world.ts';
import { assertJsonOutput } from './schema-check.ts';

const TAGGER = { name: 'tagger', uuid: '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d' };

let world: World;
let service: ReportService;

before(async () => {
	world = await createWorld();
	service = await startReportService();
	world.writeRegistry([registryEntry(world.serve(TAGGER), TAGGER)]);
});
after(async () => {
	await service?.close();
	await world?.close();
});

it('report --yes --json and report status --json match their schemas', async () => {
	const sent = await world.vouch(
		[
			'report',
			'tagger',
			'--reason',
			'malware',
			'--details',
			'Mines coins.',
			'--registry',
			world.registryFile,
			'--service',
			service.url,
			'--yes',
			'--json',
		],
		{ fetch: globalThis.fetch },
	);
	assert.equal(sent.code, 0, sent.stderr);
	const document = assertJsonOutput(sent, 'report');
	const token = (document.receipt as { token: string }).token;
	const status = await world.vouch(
		['report', 'status', token, '--service', service.url, '--json'],
		{ fetch: globalThis.fetch },
	);
	assert.equal(status.code, 0, status.stderr);
	assertJsonOutput(status, 'report status');
});
