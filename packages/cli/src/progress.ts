/**
 * A spinner for slow steps (network reads). Drawn only when stderr is a terminal and the
 * output is for people (not `--json`), so logs and pipes never receive cursor-control noise;
 * there it draws nothing at all.
 *
 * Every frame rewrites the whole line: carriage return, erase the line, then the frame. A new
 * step replaces the previous one on the same line, and stopping erases it, so steps never run
 * together and the next line printed (a question, a result, an error) starts on a clean line.
 * The text is cut to the terminal's width: a line that wrapped could no longer be erased by
 * going back to its start.
 *
 * Why not @clack/prompts' spinner: it reads keys from the process's own stdin while it spins
 * (switching it to raw mode, whatever input the caller injects), ends the whole process with
 * exit code 0 when Ctrl-C is pressed (skipping the cleanup of staged files, and reporting a
 * cancel as success), and installs process-wide signal handlers. None of that can be turned
 * off, and this needs only a few lines.
 */
import type { CliIO } from './io.ts';

export interface Progress {
	/** Shows `message` as the current step, replacing the one shown before. */
	start(message: string): void;
	/** Erases the spinner's line; `message`, if given, is printed on it instead. */
	stop(message?: string): void;
}

export interface ProgressOptions {
	/** Time between frames. */
	intervalMs?: number;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
/** Back to the start of the line and erase all of it. */
export const ERASE_LINE = '\r\x1b[2K';
const DEFAULT_COLUMNS = 80;

export function createProgress(
	io: Pick<CliIO, 'stderr' | 'stderrIsTTY' | 'stderrColumns' | 'verbosity'>,
	enabled: boolean,
	options: ProgressOptions = {},
): Progress {
	if (!enabled || !io.stderrIsTTY || io.verbosity === 'quiet') return { start() {}, stop() {} };
	let timer: NodeJS.Timeout | undefined;
	let frame = 0;
	let text = '';
	const draw = () => {
		// A pseudo-terminal nobody sized reports 0 columns.
		const columns =
			io.stderrColumns !== undefined && io.stderrColumns > 0 ? io.stderrColumns : DEFAULT_COLUMNS;
		const width = Math.max(10, columns - 3);
		io.stderr.write(`${ERASE_LINE}${FRAMES[frame]} ${fit(text, width)}`);
	};
	return {
		start(message) {
			text = message;
			draw();
			if (timer !== undefined) return;
			timer = setInterval(() => {
				frame = (frame + 1) % FRAMES.length;
				draw();
			}, options.intervalMs ?? 80);
			timer.unref();
		},
		stop(message) {
			if (timer === undefined) {
				if (message) io.stderr.write(`${message}\n`);
				return;
			}
			clearInterval(timer);
			timer = undefined;
			io.stderr.write(ERASE_LINE);
			if (message) io.stderr.write(`${message}\n`);
		},
	};
}

/**
 * At most `width` characters, so the line never wraps. Counted in code points; a character
 * drawn two columns wide is counted as two, roughly, by its range.
 */
function fit(text: string, width: number): string {
	let used = 0;
	let out = '';
	for (const char of text) {
		const cost = isWide(char) ? 2 : 1;
		if (used + cost > width - 1) return `${out}…`;
		used += cost;
		out += char;
	}
	return out;
}

function isWide(char: string): boolean {
	const code = char.codePointAt(0) ?? 0;
	return (
		(code >= 0x1100 && code <= 0x115f) ||
		(code >= 0x2e80 && code <= 0xa4cf) ||
		(code >= 0xac00 && code <= 0xd7a3) ||
		(code >= 0xf900 && code <= 0xfaff) ||
		(code >= 0xfe30 && code <= 0xfe4f) ||
		(code >= 0xff00 && code <= 0xff60) ||
		(code >= 0xffe0 && code <= 0xffe6) ||
		(code >= 0x1f300 && code <= 0x1faff) ||
		(code >= 0x20000 && code <= 0x3fffd)
	);
}
