/**
 * Runs the real `vouch` in a real pseudo-terminal, as a person at a terminal would: stdin,
 * stdout and stderr are all the terminal, so spinners draw and prompts ask. Node has no pty of
 * its own; python3's `pty` module provides one. Each time a `[y/N]` or `[Y/n]` question
 * appears the next answer is typed; with no answer left, end of input (Ctrl-D) is typed, so a
 * run can never wait forever for an answer. Returns every byte the terminal received.
 */
import { spawn } from 'node:child_process';
import { REPO_ROOT, vouchArgv } from './built-cli.ts';

export interface PtyRun {
	code: number;
	/** The raw bytes the terminal showed, decoded as UTF-8. */
	screen: string;
}

export interface PtyRunOptions {
	env: NodeJS.ProcessEnv;
	/** Typed one per question, each followed by Enter. */
	answers?: string[];
	columns?: number;
}

const DRIVER = `
import fcntl, json, os, pty, re, struct, sys, termios
config = json.loads(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    os.chdir(config["cwd"])
    os.execvpe(config["argv"][0], config["argv"], config["env"])
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, config["columns"], 0, 0))
question = re.compile(rb"\\[[yY]/[nN]\\] ")
answers = config["answers"]
asked = 0
screen = b""
while True:
    try:
        data = os.read(fd, 65536)
    except OSError:
        break
    if not data:
        break
    screen += data
    while len(question.findall(screen)) > asked:
        os.write(fd, (answers[asked] + "\\r").encode() if asked < len(answers) else b"\\x04")
        asked += 1
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(screen)
sys.stderr.write(str(os.waitstatus_to_exitcode(status)))
`;

export function runVouchInPty(args: string[], options: PtyRunOptions): Promise<PtyRun> {
	const config = {
		cwd: REPO_ROOT,
		// The built bin when it is current (see built-cli.ts: the same code, a third of the CPU).
		argv: [...vouchArgv(), ...args],
		// Colour off, so the screen can be read as text; the terminal is still a terminal.
		env: { ...options.env, NO_COLOR: '1', TERM: 'xterm' },
		answers: options.answers ?? [],
		columns: options.columns ?? 120,
	};
	return new Promise((resolve, reject) => {
		const child = spawn('python3', ['-c', DRIVER, JSON.stringify(config)], {
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		const out: Buffer[] = [];
		const err: Buffer[] = [];
		child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
		child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
		child.on('error', reject);
		child.on('close', () => {
			const status = Buffer.concat(err).toString('utf8').trim();
			const code = Number(status.split('\n').at(-1));
			if (!Number.isInteger(code)) {
				reject(new Error(`the pty driver failed: ${status}`));
				return;
			}
			resolve({ code, screen: Buffer.concat(out).toString('utf8') });
		});
	});
}

/**
 * What a terminal would show after these bytes, line by line: `\r` goes back to the start of
 * the line, `ESC[2K` erases it, `\n` starts the next one. Other escape sequences are dropped.
 * A spinner that was erased leaves nothing here; one that was not leaves its last frame.
 */
/** A control sequence: ESC [ parameters, then a letter. */
const CSI = new RegExp(`^${'\x1b'}\\[[0-9;?]*[A-Za-z]`);

export function renderScreen(bytes: string): string[] {
	const lines: string[] = [];
	let line = '';
	let column = 0;
	for (let i = 0; i < bytes.length; i++) {
		const char = bytes[i] as string;
		if (char === '\x1b') {
			const match = CSI.exec(bytes.slice(i));
			if (match !== null) {
				if (match[0] === '\x1b[2K') {
					line = '';
					column = 0;
				}
				i += match[0].length - 1;
			}
			continue;
		}
		if (char === '\r') {
			column = 0;
			continue;
		}
		if (char === '\n') {
			lines.push(line);
			line = '';
			column = 0;
			continue;
		}
		line = line.slice(0, column) + char + line.slice(column + 1);
		column += 1;
	}
	if (line !== '') lines.push(line);
	return lines;
}
