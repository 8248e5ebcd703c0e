/**
 * The spinner's bytes: every frame rewrites its whole line, a new step replaces the old one on
 * the same line, stopping erases it, and nothing at all is drawn without a terminal or for
 * `--json`. What a person sees at a real terminal is checked in
 * `lifecycle/consent-screen.slow.test.ts`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createProgress, ERASE_LINE } from '../src/progress.ts';

function stderr(isTTY: boolean, columns?: number) {
	const writes: string[] = [];
	return {
		writes,
		io: {
			stderr: { write: (text: string) => writes.push(text) },
			stderrIsTTY: isTTY,
			...(columns === undefined ? {} : { stderrColumns: columns }),
		},
	};
}

describe('createProgress', () => {
	it('draws nothing when stderr is not a terminal, or for --json', () => {
		for (const [isTTY, enabled] of [
			[false, true],
			[true, false],
		] as const) {
			const { io, writes } = stderr(isTTY);
			const progress = createProgress(io, enabled);
			progress.start('Listing refs');
			progress.start('Fetching v2.2');
			progress.stop();
			assert.deepEqual(writes, []);
		}
	});

	it('erases the line before every drawing, so steps never run together', () => {
		const { io, writes } = stderr(true);
		const progress = createProgress(io, true);
		progress.start('Listing refs of https://example.org/x.git');
		progress.start('Fetching v2.2 from https://example.org/x.git');
		progress.stop();
		assert.equal(writes.length, 3);
		for (const write of writes) assert.ok(write.startsWith(ERASE_LINE), JSON.stringify(write));
		assert.match((writes[1] ?? '').slice(ERASE_LINE.length), /^. Fetching v2\.2 from/u);
		assert.equal(writes[2], ERASE_LINE, 'stopping leaves an empty line');
	});

	it('prints the closing message on the erased line', () => {
		const { io, writes } = stderr(true);
		const progress = createProgress(io, true);
		progress.start('Cloning');
		progress.stop('Cloned.');
		assert.deepEqual(writes.slice(1), [ERASE_LINE, 'Cloned.\n']);
	});

	it('cuts a step to the terminal width, so a wrapped line is never left behind', () => {
		const { io, writes } = stderr(true, 40);
		const progress = createProgress(io, true);
		progress.start(`Fetching ${'x'.repeat(200)}`);
		progress.stop();
		const drawn = (writes[0] ?? '').slice(ERASE_LINE.length);
		assert.ok([...drawn].length < 40, drawn);
		assert.ok(drawn.endsWith('…'));
	});

	it('keeps drawing frames while a step runs', async () => {
		const { io, writes } = stderr(true);
		const progress = createProgress(io, true, { intervalMs: 1 });
		progress.start('Cloning');
		while (writes.length < 3) await new Promise((resolve) => setTimeout(resolve, 5));
		progress.stop();
		const count = writes.length;
		await new Promise((resolve) => setTimeout(resolve, 20));
		assert.equal(writes.length, count, 'no frame after stop');
		for (const write of writes) assert.ok(write.startsWith(ERASE_LINE));
	});
});
