/**
 * The Markdown verdict is posted as a bot comment: nothing a hostile plugin writes may become a
 * link, an image, a mention, HTML or an autolinked URL. Every untrusted string must come out as
 * a code span; the test strips the code spans the way CommonMark reads them and checks what is
 * left holds nothing active.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FindingSink, levelOf } from '../../../src/registry/review/findings.ts';
import { renderVerdictMarkdown, untrusted } from '../../../src/registry/review/markdown.ts';
import { combineVerdict, type PluginReview } from '../../../src/registry/review/verdict.ts';

const HOSTILE = [
	'[click me](https://evil.example/x)',
	'![pixel](https://evil.example/p.png)',
	'<img src=x onerror=alert(1)>',
	'<!-- hidden --> <details open>',
	'@everyone @org/team',
	'https://evil.example/autolink www.evil.example',
	'`code` ``more`` ```fence```',
	'a | b | c',
	'line\nbreak\r\n# Heading\n> quote',
	'\u001b[31mred\u001b[0m \u202eevil',
	'\\`escaped backtick\\`',
	'` leading backtick',
	'*bold* _em_ ~~strike~~',
];

/** Removes inline code spans as CommonMark does: a run of n backticks up to the next run of n. */
function withoutCodeSpans(line: string): string {
	let out = '';
	let i = 0;
	while (i < line.length) {
		if (line[i] !== '`') {
			out += line[i];
			i++;
			continue;
		}
		let n = 0;
		while (line[i + n] === '`') n++;
		const fence = '`'.repeat(n);
		let search = i + n;
		let close = -1;
		while (search < line.length) {
			const at = line.indexOf(fence, search);
			if (at === -1) break;
			if (line[at + n] !== '`' && line[at - 1] !== '`') {
				close = at;
				break;
			}
			search = at + 1;
		}
		if (close === -1) {
			out += fence;
			i += n;
		} else {
			i = close + n;
		}
	}
	return out;
}

function hostileReview(text: string): PluginReview {
	const sink = new FindingSink();
	sink.add('SCAN_HIGH', 'error', `rule (${text}): ${text}`, text);
	const findings = sink.list();
	return {
		id: text,
		name: text,
		description: text,
		gitUrl: text,
		uuid: text,
		trust: 'community',
		subject: 'candidate',
		refs: [
			{
				ref: text,
				commit: 'a'.repeat(40),
				manifest: 'valid',
				scan: {
					high: 1,
					medium: 0,
					low: 0,
					info: 0,
					declaration: 'declared',
					declared: [],
					inferred: [text],
					undeclared: [text],
				},
			},
		],
		findings,
		level: levelOf(findings),
	};
}

describe('Markdown verdict', () => {
	it('every hostile string is inert in the comment', () => {
		const markdown = renderVerdictMarkdown(combineVerdict(HOSTILE.map(hostileReview)));
		for (const line of markdown.split('\n')) {
			const outside = withoutCodeSpans(line);
			assert.doesNotMatch(outside, /\]\(|<(?!\/?sub>)|@|https?:|www\./, line);
			assert.ok(!outside.includes('\u001b') && !line.includes('\u202e'), line);
		}
		// Each hostile string stays on its own table row: none broke the table or the line.
		const rows = markdown.split('\n').filter((line) => line.startsWith('| ❌ error'));
		assert.equal(rows.length, HOSTILE.length);
		for (const row of rows) assert.equal(withoutCodeSpans(row).split('|').length, 6, row);
	});

	it('a code span is fenced longer than any backtick run inside it', () => {
		assert.equal(untrusted('a ``` b'), '```` a ``` b ````');
		assert.equal(untrusted(''), '*(empty)*');
		assert.equal(untrusted('x|y'), '` x\\|y `');
	});

	it('the verdict heading follows the worst plugin', () => {
		const pass: PluginReview = { ...hostileReview('ok'), findings: [], level: 'pass' };
		assert.match(
			renderVerdictMarkdown(combineVerdict([pass])),
			/^## Vouch registry review: ✅ pass/,
		);
		assert.match(
			renderVerdictMarkdown(combineVerdict([pass, hostileReview('x')])),
			/^## Vouch registry review: ❌ reject/,
		);
	});

	it('findings over the bound are counted with their worst severity', () => {
		const sink = new FindingSink();
		for (let i = 0; i < 200; i++) sink.add('SCAN_MEDIUM', 'info', `n${i}`);
		sink.add('SCAN_HIGH', 'error', 'the one that matters');
		const findings = sink.list();
		assert.equal(findings.at(-1)?.code, 'FINDINGS_TRUNCATED');
		assert.equal(levelOf(findings), 'reject');
	});
});
