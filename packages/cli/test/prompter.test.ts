/** Terminal prompts driven through real streams, with and without a TTY (D12, spec item 39). */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import type { CliIO } from '../src/io.ts';
import { createTerminalPrompter } from '../src/prompter.ts';

function terminal(stdinIsTTY: boolean) {
	const stdin = new PassThrough();
	let stderr = '';
	const io: CliIO = {
		stdout: { write: () => true },
		stderr: { write: (text: string) => (stderr += text) },
		env: {},
		cwd: '/',
		stdoutIsTTY: false,
		stderrIsTTY: stdinIsTTY,
		fetch: globalThis.fetch,
		now: () => new Date(0),
		stdin,
		stdinIsTTY,
	};
	return { io, stdin, stderr: () => stderr };
}

describe('createTerminalPrompter', () => {
	it('is not interactive without a TTY, and answers no without reading', async () => {
		const { io, stdin } = terminal(false);
		stdin.write('yes\n');
		const prompter = createTerminalPrompter(io);
		assert.equal(prompter.interactive, false);
		assert.equal(await prompter.confirm({ message: 'Install?', defaultAnswer: true }), false);
	});

	it('accepts only y or yes, in any case, and shows the default in the question', async () => {
		const { io, stdin, stderr } = terminal(true);
		const prompter = createTerminalPrompter(io);
		stdin.write('YES\ny\nyep\nn\nsure\n');
		const answers: boolean[] = [];
		for (let i = 0; i < 5; i++) {
			answers.push(await prompter.confirm({ message: `Q${i}?`, defaultAnswer: false }));
		}
		assert.deepEqual(answers, [true, true, false, false, false]);
		assert.match(stderr(), /Q0\? \[y\/N\] /);
	});

	it('takes the default on Enter: yes for trusted, no for community', async () => {
		const { io, stdin, stderr } = terminal(true);
		const prompter = createTerminalPrompter(io);
		stdin.write('\r\n\n');
		assert.equal(await prompter.confirm({ message: 'Trusted?', defaultAnswer: true }), true);
		assert.equal(await prompter.confirm({ message: 'Community?', defaultAnswer: false }), false);
		assert.match(stderr(), /\[Y\/n\]/);
	});

	it('waits for an answer typed later', async () => {
		const { io, stdin } = terminal(true);
		const prompter = createTerminalPrompter(io);
		const pending = prompter.confirm({ message: 'Go?', defaultAnswer: false });
		setTimeout(() => stdin.write('y\n'), 20);
		assert.equal(await pending, true);
	});

	it('reads end of input and endless lines as no', async () => {
		const closed = terminal(true);
		const prompter = createTerminalPrompter(closed.io);
		closed.stdin.end();
		assert.equal(await prompter.confirm({ message: 'Go?', defaultAnswer: true }), false);

		const flooded = terminal(true);
		const second = createTerminalPrompter(flooded.io);
		flooded.stdin.write(`y${'e'.repeat(5000)}`);
		assert.equal(await second.confirm({ message: 'Go?', defaultAnswer: true }), false);
	});
});
