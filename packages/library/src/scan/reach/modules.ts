/**
 * Modules whose only job is a capability: importing one reaches it, whether or not a call the
 * rules know follows (a function of it passed along as a value, called through a computed name,
 * or handed to a library, is just as reached). Multi-purpose modules (`os`, `fs`, `pickle`) are
 * not here; their dangerous functions are in `callables.ts`. Each row says why it is here.
 */
import type { LanguageFamily } from '../engine/matcher.ts';
import type { ReachClass } from './classes.ts';

export interface ModuleRow {
	readonly module: string;
	readonly reach: ReachClass;
	readonly reason: string;
}

const PY: readonly ModuleRow[] = [
	{ module: 'socket', reach: 'network', reason: 'raw TCP and UDP sockets and DNS lookups' },
	{ module: 'ssl', reach: 'network', reason: 'TLS connections over sockets' },
	{ module: 'http.client', reach: 'network', reason: 'an HTTP client' },
	{ module: 'httplib', reach: 'network', reason: 'an HTTP client (Python 2)' },
	{ module: 'http.server', reach: 'network', reason: 'an HTTP server listening for connections' },
	{ module: 'urllib.request', reach: 'network', reason: 'fetches URLs' },
	{ module: 'urllib2', reach: 'network', reason: 'fetches URLs (Python 2)' },
	{ module: 'urllib3', reach: 'network', reason: 'an HTTP client' },
	{ module: 'requests', reach: 'network', reason: 'an HTTP client' },
	{ module: 'httpx', reach: 'network', reason: 'an HTTP client' },
	{ module: 'aiohttp', reach: 'network', reason: 'an HTTP client and server' },
	{ module: 'pycurl', reach: 'network', reason: 'libcurl transfers' },
	{ module: 'ftplib', reach: 'network', reason: 'FTP transfers' },
	{ module: 'smtplib', reach: 'network', reason: 'sends mail' },
	{ module: 'poplib', reach: 'network', reason: 'reads mail over POP3' },
	{ module: 'imaplib', reach: 'network', reason: 'reads mail over IMAP' },
	{ module: 'nntplib', reach: 'network', reason: 'Usenet transfers' },
	{ module: 'telnetlib', reach: 'network', reason: 'Telnet sessions' },
	{ module: 'xmlrpc.client', reach: 'network', reason: 'remote procedure calls over HTTP' },
	{ module: 'xmlrpclib', reach: 'network', reason: 'remote procedure calls (Python 2)' },
	{ module: 'xmlrpc.server', reach: 'network', reason: 'an RPC server' },
	{ module: 'socketserver', reach: 'network', reason: 'TCP and UDP servers' },
	{ module: 'websocket', reach: 'network', reason: 'WebSocket connections' },
	{ module: 'websockets', reach: 'network', reason: 'WebSocket connections' },
	{ module: 'paramiko', reach: 'network', reason: 'SSH connections' },
	{ module: 'asyncssh', reach: 'network', reason: 'SSH connections' },
	{ module: 'dns', reach: 'network', reason: 'DNS queries (dnspython), a channel for data' },
	{ module: 'PyQt5.QtNetwork', reach: 'network', reason: 'Qt networking, beside the host API' },
	{ module: 'PyQt6.QtNetwork', reach: 'network', reason: 'Qt networking, beside the host API' },
	{ module: 'PySide2.QtNetwork', reach: 'network', reason: 'Qt networking, beside the host API' },
	{ module: 'PySide6.QtNetwork', reach: 'network', reason: 'Qt networking, beside the host API' },
	{ module: 'PyQt5.QtWebSockets', reach: 'network', reason: 'Qt WebSockets' },
	{ module: 'PyQt6.QtWebSockets', reach: 'network', reason: 'Qt WebSockets' },
	{ module: 'subprocess', reach: 'process', reason: 'starts programs' },
	{ module: 'pty', reach: 'process', reason: 'starts programs on a pseudo-terminal' },
	{ module: 'multiprocessing', reach: 'process', reason: 'starts Python processes' },
	{ module: 'commands', reach: 'process', reason: 'runs shell commands (Python 2)' },
	{ module: 'popen2', reach: 'process', reason: 'runs shell commands (Python 2)' },
	{ module: 'asyncio.subprocess', reach: 'process', reason: 'starts programs' },
	{
		module: '_posixsubprocess',
		reach: 'process',
		reason: 'the private process start of subprocess',
	},
	{ module: '_winapi', reach: 'process', reason: 'CreateProcess and other raw Windows calls' },
	{ module: '_subprocess', reach: 'process', reason: 'CreateProcess (Python 2)' },
	{ module: 'pexpect', reach: 'process', reason: 'starts and drives programs' },
	{ module: 'sh', reach: 'process', reason: 'runs programs as functions' },
	{ module: 'plumbum', reach: 'process', reason: 'runs programs as functions' },
	{ module: 'ctypes', reach: 'native', reason: 'calls native libraries and raw memory' },
	{ module: '_ctypes', reach: 'native', reason: 'the native half of ctypes' },
	{ module: 'cffi', reach: 'native', reason: 'calls native libraries' },
	{ module: '_cffi_backend', reach: 'native', reason: 'the native half of cffi' },
	{ module: 'runpy', reach: 'dynamic-code', reason: 'runs modules and files as code' },
	{ module: 'code', reach: 'dynamic-code', reason: 'an interactive interpreter' },
	{ module: 'codeop', reach: 'dynamic-code', reason: 'compiles source text' },
	{ module: 'marshal', reach: 'dynamic-code', reason: 'turns bytes into code objects' },
	{ module: 'zipimport', reach: 'dynamic-code', reason: 'imports code from archives' },
	{
		module: 'pip',
		reach: 'dynamic-code',
		reason: 'installs packages at run time and runs their build code, none of it scanned',
	},
	{ module: 'keyring', reach: 'secrets', reason: 'the system password store' },
	{ module: 'secretstorage', reach: 'secrets', reason: 'the Secret Service password store' },
	{ module: 'win32cred', reach: 'secrets', reason: 'the Windows credential manager' },
	{ module: 'browser_cookie3', reach: 'secrets', reason: 'browser cookies' },
	{ module: 'browsercookie', reach: 'secrets', reason: 'browser cookies' },
	{ module: 'pycookiecheat', reach: 'secrets', reason: 'browser cookies' },
	{ module: 'gi.repository.Secret', reach: 'secrets', reason: 'the Secret Service password store' },
	// Spyware's tools: what the user types, sees and copies holds passwords and wallet
	// addresses, and a tagger has no use for the whole desktop's input or screen.
	{ module: 'pynput', reach: 'secrets', reason: 'global keyboard and mouse hooks (keylogging)' },
	{ module: 'keyboard', reach: 'secrets', reason: 'global keyboard hooks (keylogging)' },
	{ module: 'pyHook', reach: 'secrets', reason: 'global keyboard hooks (keylogging)' },
	{ module: 'pyWinhook', reach: 'secrets', reason: 'global keyboard hooks (keylogging)' },
	{ module: 'pyxhook', reach: 'secrets', reason: 'global keyboard hooks (keylogging)' },
	{ module: 'PIL.ImageGrab', reach: 'secrets', reason: 'screenshots of the whole desktop' },
	{ module: 'pyscreenshot', reach: 'secrets', reason: 'screenshots of the whole desktop' },
	{ module: 'mss', reach: 'secrets', reason: 'screenshots of the whole desktop' },
	{ module: 'd3dshot', reach: 'secrets', reason: 'screenshots of the whole desktop' },
	{ module: 'pyautogui', reach: 'secrets', reason: 'screenshots and synthetic input' },
	{ module: 'win32crypt', reach: 'secrets', reason: 'DPAPI decryption of browser keys' },
];

const JS: readonly ModuleRow[] = [
	{ module: 'net', reach: 'network', reason: 'raw TCP sockets' },
	{ module: 'dgram', reach: 'network', reason: 'UDP sockets' },
	{ module: 'dns', reach: 'network', reason: 'DNS queries, a channel for data' },
	{ module: 'dns.promises', reach: 'network', reason: 'DNS queries, a channel for data' },
	{ module: 'tls', reach: 'network', reason: 'TLS connections' },
	{ module: 'http', reach: 'network', reason: 'HTTP clients and servers' },
	{ module: 'https', reach: 'network', reason: 'HTTPS clients and servers' },
	{ module: 'http2', reach: 'network', reason: 'HTTP/2 clients and servers' },
	{ module: 'undici', reach: 'network', reason: 'an HTTP client' },
	{ module: 'axios', reach: 'network', reason: 'an HTTP client' },
	{ module: 'node-fetch', reach: 'network', reason: 'an HTTP client' },
	{ module: 'cross-fetch', reach: 'network', reason: 'an HTTP client' },
	{ module: 'got', reach: 'network', reason: 'an HTTP client' },
	{ module: 'request', reach: 'network', reason: 'an HTTP client' },
	{ module: 'superagent', reach: 'network', reason: 'an HTTP client' },
	{ module: 'ws', reach: 'network', reason: 'WebSocket connections' },
	{ module: 'socket.io-client', reach: 'network', reason: 'WebSocket connections' },
	{ module: 'ssh2', reach: 'network', reason: 'SSH connections' },
	{ module: 'child_process', reach: 'process', reason: 'starts programs' },
	{ module: 'cluster', reach: 'process', reason: 'starts Node processes' },
	{ module: 'execa', reach: 'process', reason: 'starts programs' },
	{ module: 'cross-spawn', reach: 'process', reason: 'starts programs' },
	{ module: 'shelljs', reach: 'process', reason: 'runs shell commands' },
	{ module: 'vm', reach: 'dynamic-code', reason: 'compiles and runs source text' },
	{
		module: 'worker_threads',
		reach: 'dynamic-code',
		reason: 'runs code (or a string, with eval: true) in a worker',
	},
	{
		module: 'inspector',
		reach: 'dynamic-code',
		reason: 'evaluates code through the debugger protocol',
	},
	{ module: 'repl', reach: 'dynamic-code', reason: 'an interactive evaluator' },
	{ module: 'ffi-napi', reach: 'native', reason: 'calls native libraries' },
	{ module: 'ffi', reach: 'native', reason: 'calls native libraries' },
	{ module: 'node-ffi', reach: 'native', reason: 'calls native libraries' },
	{ module: 'koffi', reach: 'native', reason: 'calls native libraries' },
	{ module: 'ref-napi', reach: 'native', reason: 'raw memory access' },
	{ module: 'bindings', reach: 'native', reason: 'loads compiled addons' },
	{ module: 'node-gyp-build', reach: 'native', reason: 'loads compiled addons' },
	{ module: 'keytar', reach: 'secrets', reason: 'the system password store' },
	{ module: '@napi-rs/keyring', reach: 'secrets', reason: 'the system password store' },
	{ module: 'iohook', reach: 'secrets', reason: 'global keyboard and mouse hooks (keylogging)' },
	{ module: 'uiohook-napi', reach: 'secrets', reason: 'global keyboard hooks (keylogging)' },
	{
		module: 'node-global-key-listener',
		reach: 'secrets',
		reason: 'global keyboard hooks (keylogging)',
	},
	{ module: 'screenshot-desktop', reach: 'secrets', reason: 'screenshots of the whole desktop' },
	{ module: 'node-screenshots', reach: 'secrets', reason: 'screenshots of the whole desktop' },
	{ module: 'win-dpapi', reach: 'secrets', reason: 'DPAPI decryption of browser keys' },
	{ module: '@primno/dpapi', reach: 'secrets', reason: 'DPAPI decryption of browser keys' },
];

const TABLES: Readonly<Record<LanguageFamily, ReadonlyMap<string, ModuleRow>>> = {
	python: new Map(PY.map((row) => [row.module, row])),
	js: new Map(JS.map((row) => [row.module, row])),
};

/** The row for a module or any package above it (`urllib.request.Request` → `urllib.request`). */
export function capabilityModule(family: LanguageFamily, module: string): ModuleRow | undefined {
	const table = TABLES[family];
	let name = module;
	for (let i = 0; i < 8; i++) {
		const row = table.get(name);
		if (row !== undefined) return row;
		const dot = name.lastIndexOf('.');
		if (dot <= 0) return undefined;
		name = name.slice(0, dot);
	}
	return undefined;
}

export const MODULE_ROWS: Readonly<Record<LanguageFamily, readonly ModuleRow[]>> = {
	python: PY,
	js: JS,
};
