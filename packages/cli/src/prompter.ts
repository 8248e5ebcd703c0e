/**
 * Terminal prompts: one line per question, on stderr so `--json` output stays clean.
 * Only `y` or `yes` agrees; Enter takes the question's default; anything else, end of input
 * or an over-long line is a no (spec item 39). With no terminal on stdin nobody is asked:
 * the lifecycle then refuses instead of guessing (D12).
 *
 * Why not @clack/prompts' confirm: it answers on a single key, and any `y` does. "maybe"
 * would agree at its third letter, and a `y` typed ahead during a slow clone would agree to a
 * question the user has not read yet. Here nothing counts until the line is ended with Enter.
 */
import type { ConfirmQuestion, Prompter } from '@vouch/library/internal/lifecycle/prompter';
import type { CliIO } from './io.ts';

/** An answer longer than this is not a y/n answer; stop reading rather than buffer it. */
const MAX_ANSWER_BYTES = 1024;

export function createTerminalPrompter(io: CliIO): Prompter {
	const input = io.stdin;
	if (input === undefined || io.stdinIsTTY !== true) {
		return { interactive: false, confirm: async () => false };
	}
	const lines = createLineReader(input);
	return {
		interactive: true,
		async confirm(question: ConfirmQuestion) {
			io.stderr.write(`${question.message} ${question.defaultAnswer ? '[Y/n]' : '[y/N]'} `);
			const line = await lines.next();
			if (line === undefined) {
				io.stderr.write('\n');
				return false;
			}
			const answer = line.trim().toLowerCase();
			if (answer === '') return question.defaultAnswer;
			return answer === 'y' || answer === 'yes';
		},
	};
}

interface LineReader {
	/** The next line, or undefined at end of input or when a line is too long to be an answer. */
	next(): Promise<string | undefined>;
}

/** Reads lines on demand, keeping what follows a line for the next question. */
function createLineReader(input: NodeJS.ReadableStream): LineReader {
	let buffered = '';
	let ended = false;
	input.setEncoding?.('utf8');
	return {
		next() {
			return new Promise((resolve) => {
				const finish = (value: string | undefined) => {
					input.off('data', onData);
					input.off('end', onEnd);
					input.pause();
					resolve(value);
				};
				const take = (): boolean => {
					const newline = buffered.indexOf('\n');
					if (newline !== -1) {
						const line = buffered.slice(0, newline).replace(/\r$/, '');
						buffered = buffered.slice(newline + 1);
						finish(line);
						return true;
					}
					if (buffered.length > MAX_ANSWER_BYTES) {
						buffered = '';
						finish(undefined);
						return true;
					}
					if (ended) {
						const rest = buffered;
						buffered = '';
						finish(rest.length > 0 ? rest : undefined);
						return true;
					}
					return false;
				};
				const onData = (chunk: string | Buffer) => {
					buffered += chunk.toString();
					take();
				};
				const onEnd = () => {
					ended = true;
					take();
				};
				if (take()) return;
				input.on('data', onData);
				input.on('end', onEnd);
				input.resume();
			});
		},
	};
}
