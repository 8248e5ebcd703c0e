/**
 * A spinner for slow steps (network reads). Shown only when stderr is a terminal, so
 * logs and pipes never receive cursor-control noise.
 */
import type { CliIO } from './io.ts';

export interface Progress {
	start(message: string): void;
	stop(message?: string): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function createProgress(io: CliIO, enabled: boolean): Progress {
	if (!enabled || !io.stderrIsTTY || io.verbosity === 'quiet') return { start() {}, stop() {} };
	let timer: NodeJS.Timeout | undefined;
	let frame = 0;
	let text = '';
	const clear = () => io.stderr.write('\r\x1b[2K');
	return {
		start(message) {
			text = message;
			if (timer) clearInterval(timer);
			timer = setInterval(() => {
				frame = (frame + 1) % FRAMES.length;
				io.stderr.write(`\r${FRAMES[frame]} ${text}`);
			}, 80);
			timer.unref();
			io.stderr.write(`${FRAMES[0]} ${text}`);
		},
		stop(message) {
			if (timer) clearInterval(timer);
			timer = undefined;
			clear();
			if (message) io.stderr.write(`${message}\n`);
		},
	};
}
