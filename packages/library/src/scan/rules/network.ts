/**
 * Network use: sockets, HTTP clients, mail and file-transfer protocols, Qt network classes,
 * the host's web service, fetch, Node's http/https/net/dgram/tls and WebSocket. Every such call
 * is a `network` sink (secrets reaching it are exfiltration) and a `netobj` source (what it
 * returns is a connection whose methods send data).
 */
import type { Node } from 'web-tree-sitter';
import type { FileContext, Matcher } from '../engine/matcher.ts';
import { positionalArgs } from '../engine/syntax.ts';
import { type CallSite, callMatchers, NameTable, shown } from './shared.ts';

const PY_NETWORK = new NameTable([
	'socket.socket',
	'socket.create_connection',
	'socket.create_server',
	'socket.fromfd',
	'ssl.wrap_socket',
	'urllib.request.urlopen',
	'urllib.request.urlretrieve',
	'urllib.request.Request',
	'urllib.request.build_opener',
	'urllib.request.OpenerDirector',
	'urllib.request.URLopener',
	'urllib.request.FancyURLopener',
	'urllib.urlopen',
	'urllib.urlretrieve',
	'urllib2.urlopen',
	'urllib2.Request',
	'urllib2.build_opener',
	'requests.get',
	'requests.post',
	'requests.put',
	'requests.patch',
	'requests.delete',
	'requests.head',
	'requests.options',
	'requests.request',
	'requests.Session',
	'requests.session',
	'httpx.get',
	'httpx.post',
	'httpx.put',
	'httpx.patch',
	'httpx.delete',
	'httpx.head',
	'httpx.request',
	'httpx.stream',
	'httpx.Client',
	'httpx.AsyncClient',
	'aiohttp.ClientSession',
	'aiohttp.request',
	'urllib3.PoolManager',
	'urllib3.ProxyManager',
	'urllib3.HTTPConnectionPool',
	'urllib3.HTTPSConnectionPool',
	'urllib3.request',
	'http.client.HTTPConnection',
	'http.client.HTTPSConnection',
	'httplib.HTTPConnection',
	'httplib.HTTPSConnection',
	'ftplib.FTP',
	'ftplib.FTP_TLS',
	'smtplib.SMTP',
	'smtplib.SMTP_SSL',
	'smtplib.LMTP',
	'poplib.POP3',
	'poplib.POP3_SSL',
	'imaplib.IMAP4',
	'imaplib.IMAP4_SSL',
	'imaplib.IMAP4_stream',
	'telnetlib.Telnet',
	'nntplib.NNTP',
	'nntplib.NNTP_SSL',
	'xmlrpc.client.ServerProxy',
	'xmlrpclib.ServerProxy',
	'socketserver.TCPServer',
	'socketserver.UDPServer',
	'socketserver.ThreadingTCPServer',
	'socketserver.ThreadingUDPServer',
	'socketserver.ForkingTCPServer',
	'http.server.HTTPServer',
	'http.server.ThreadingHTTPServer',
	'xmlrpc.server.SimpleXMLRPCServer',
	'websocket.create_connection',
	'websocket.WebSocket',
	'websocket.WebSocketApp',
	'websockets.connect',
	'websockets.serve',
	'websockets.client.connect',
	'asyncio.open_connection',
	'asyncio.start_server',
	'paramiko.SSHClient',
	'paramiko.Transport',
	'pycurl.Curl',
	'picard.webservice.*',
]);

/** Name lookups: network use, but what they send is a host name, not data. */
const PY_LOOKUPS = new NameTable([
	'socket.getaddrinfo',
	'socket.gethostbyname',
	'socket.gethostbyname_ex',
	'socket.gethostbyaddr',
	'socket.getnameinfo',
	'dns.resolver.resolve',
	'dns.resolver.query',
]);

/** Qt network modules, whichever binding imported them. */
const QT_NETWORK = /(^|\.)(QtNetwork|QtWebSockets)\./;

/** Picard-style host web service: `api.web_service.get(...)`, `self.tagger.webservice.post(...)`. */
const HOST_WEB_SERVICE =
	/(^|\.)(web_?service|webservice)\.(get|post|put|delete|download|get_url|post_url|put_url|delete_url)$/;

const JS_NETWORK = new NameTable([
	'fetch',
	'XMLHttpRequest',
	'WebSocket',
	'EventSource',
	'navigator.sendBeacon',
	'http.*',
	'https.*',
	'http2.*',
	'net.*',
	'tls.connect',
	'dgram.*',
	'axios',
	'axios.*',
	'node-fetch',
	'node-fetch.*',
	'got',
	'got.*',
	'superagent.*',
	'request',
	'request.*',
	'undici.*',
	'ws',
	'ws.*',
	'socket.io-client',
	'socket.io-client.*',
	'cross-fetch',
	'Deno.connect',
	'Bun.connect',
]);

const JS_LOOKUPS = new NameTable(['dns.*', 'dns.promises.*']);

function isPythonNetwork(name: string | undefined): boolean {
	if (name === undefined) return false;
	return PY_NETWORK.hasName(name) || QT_NETWORK.test(name) || HOST_WEB_SERVICE.test(name);
}

/**
 * A name built at run time (`f"{data}.example.com"`, `` `${d}.t.example.com` ``) carries data
 * to whoever serves the zone: DNS exfiltration. A plain name (`gethostbyname(host)`,
 * `gethostbyname(socket.gethostname())`) only asks where a host is.
 */
const BUILT_NAME = new Set([
	'string',
	'template_string',
	'binary_operator',
	'binary_expression',
	'call',
	'call_expression',
]);

function isBuiltName(node: Node | undefined, file: FileContext): boolean {
	if (node === undefined || !BUILT_NAME.has(node.type) || file.isConstant(node)) return false;
	// `'{}.{}'.format(a, b)` and `[a, b].join('.')` build names too; other calls do not.
	if (node.type === 'call' || node.type === 'call_expression') {
		return /\.\s*(?:format|join)\s*$/.test(node.childForFieldName('function')?.text ?? '');
	}
	return true;
}

function report(site: CallSite, file: FileContext, sends = true): void {
	const what = shown(site.name, site.callee.text);
	file.report('network', site.call, `${what} uses the network`);
	if (!sends) {
		const host = site.args === null ? undefined : positionalArgs(site.args)[0];
		if (isBuiltName(host, file)) file.flowSink(site.call, site.args, 'network', what);
		return;
	}
	file.flowSink(site.call, site.args, 'network', what);
	file.flowSource(site.call, 'netobj', what);
}

export const networkMatchers: readonly Matcher[] = [
	...callMatchers(['python'], (site, file) => {
		// The callee text covers calls on objects the resolver cannot name (`api.web_service`).
		if (isPythonNetwork(site.name) || HOST_WEB_SERVICE.test(site.callee.text)) {
			report(site, file);
		} else if (PY_LOOKUPS.hasName(site.name)) {
			report(site, file, false);
		}
	}),
	...callMatchers(['js'], (site, file) => {
		if (JS_NETWORK.hasName(site.name)) report(site, file);
		else if (JS_LOOKUPS.hasName(site.name)) report(site, file, false);
	}),
];
