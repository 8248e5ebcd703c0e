/**
 * Collecting endpoints built from pieces: a bot or webhook address joined from constants is the
 * same address once folded, whichever way it is joined. An address the user enters, or an
 * ordinary API address built from constants, stays quiet.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { plugin } from './reach-support.ts';
import { scan } from './support.ts';

const endpoints = async (files: Record<string, string>) =>
	(await scan(plugin(files))).findings
		.filter((f) => f.ruleId === 'exfil-endpoint')
		.map((f) => `${f.file}:${f.line}`);

test('a bot or webhook address folded from constants is exfil-endpoint', async () => {
	const found = await endpoints({
		'__init__.py': [
			'TOKEN = "5012345678:AAHk9sLm2nB4vC6xZ8qW1eR3tY5uI7oP9aS"',
			'BASE = "https://api.telegram.org/bot"',
			'ID = "1029384756102938475"',
			'KEY = "Qw3rTy7uIo9pAs1dFg3hJk5lZx7cVb9nM1qW3eR5tY7uI9oP1aS3dF5gH7jK9lZx"',
			'a = BASE + TOKEN + "/sendMessage"',
			'b = f"{BASE}{TOKEN}/getUpdates"',
			'c = "/".join(["https://discord.com", "api", "webhooks", ID, KEY])',
			'd = "https://{}/api/webhooks/{}/{}".format("discordapp.com", ID, KEY)',
		].join('\n'),
		'index.js': [
			"const T = '5012345678:AAHk9sLm2nB4vC6xZ8qW1eR3tY5uI7oP9aS';",
			// biome-ignore lint/suspicious/noTemplateCurlyInString: the plugin's own template literal
			'const a = `https://api.telegram.org/bot${T}/sendMessage`;',
			"const b = ['https://hooks.slack.com', 'services', 'T0AAAA', 'B0BBBB', 'cccc'].join('/');",
			"const c = 'https://hooks.slack.com/'.concat('services/', 'T0AAAA/B0BBBB/cccc');",
		].join('\n'),
	});
	assert.deepEqual(found, [
		'__init__.py:5',
		'__init__.py:6',
		'__init__.py:7',
		'__init__.py:8',
		'index.js:2',
		'index.js:3',
		'index.js:4',
	]);
});

test('ordinary addresses built from constants, and user-entered webhooks, stay quiet', async () => {
	const found = await endpoints({
		'__init__.py': [
			'WS = "https://musicbrainz.org/ws/2/"',
			'def url(entity, mbid):',
			'    return WS + entity + "/" + mbid',
			'def notify(config, text):',
			'    hook = config.setting["discord_webhook"]',
			'    return hook + "?wait=true"',
			'API = "https://api.telegram.org/bot"',
			'def bot(config):',
			'    return API + config.setting["telegram_token"] + "/sendMessage"',
			'HELP = "Paste your webhook address (https://discord.com/api/webhooks/...)"',
		].join('\n'),
		'index.js': [
			"const base = 'https://coverartarchive.org';",
			// biome-ignore lint/suspicious/noTemplateCurlyInString: the plugin's own template literal
			'const u = (mbid) => `${base}/release/${mbid}/front`;',
			"const v = [base, 'release', 'x'].join('/');",
		].join('\n'),
	});
	assert.deepEqual(found, []);
});
