/**
 * A stand-in for the registry service's report endpoints on 127.0.0.1, for client tests: it
 * parses every report with the library's own `reportRequestSchema` (as the real service does),
 * answers receipts and statuses, and records every request, so a test can assert that nothing
 * was sent. A test replaces the answer to misbehave: huge bodies, markup, silence, redirects.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
	type ParsedReportRequest,
	type ReportStatus,
	reportRequestSchema,
} from '../../src/report/report-schema.ts';

export interface RecordedRequest {
	method: string;
	path: string;
	authorization: string | undefined;
	body: string;
	/** The report as the service parsed it; undefined when it failed the contract. */
	report?: ParsedReportRequest;
	problems?: string[];
}

/** Answers one request in its own way; return true when it answered. */
export type Misbehaviour = (
	request: RecordedRequest,
	response: ServerResponse,
) => boolean | Promise<boolean>;

export interface ReportService {
	/** The base URL, `http://127.0.0.1:<port>/`. */
	url: string;
	requests: RecordedRequest[];
	/** Tokens handed out, with the report each followed. */
	tokens: Map<string, number>;
	/** Replaces the normal answers until set back to undefined. */
	misbehave: Misbehaviour | undefined;
	close(): Promise<void>;
}

export async function startReportService(): Promise<ReportService> {
	const service: ReportService = {
		url: '',
		requests: [],
		tokens: new Map(),
		misbehave: undefined,
		close: async () => undefined,
	};
	const reports: ParsedReportRequest[] = [];
	const server = createServer((request, response) => {
		void handle(request, response);
	});
	const handle = async (request: IncomingMessage, response: ServerResponse) => {
		const chunks: Buffer[] = [];
		for await (const chunk of request) chunks.push(chunk as Buffer);
		const recorded: RecordedRequest = {
			method: request.method ?? '',
			path: new URL(request.url ?? '/', 'http://x').pathname,
			authorization: request.headers.authorization,
			body: Buffer.concat(chunks).toString('utf8'),
		};
		service.requests.push(recorded);
		if (recorded.method === 'POST' && recorded.path === '/api/v1/reports') {
			let parsed: ReturnType<typeof reportRequestSchema.safeParse> | undefined;
			try {
				parsed = reportRequestSchema.safeParse(JSON.parse(recorded.body));
			} catch {
				parsed = undefined;
			}
			if (parsed?.success) recorded.report = parsed.data;
			else recorded.problems = parsed?.error.issues.map((issue) => issue.message) ?? ['not JSON'];
		}
		if (service.misbehave !== undefined && (await service.misbehave(recorded, response))) return;
		if (recorded.method === 'POST' && recorded.path === '/api/v1/reports') {
			if (recorded.report === undefined) {
				json(response, 400, {
					error: { code: 'INVALID_REPORT', message: (recorded.problems ?? []).join('; ') },
				});
				return;
			}
			reports.push(recorded.report);
			// As the service does: a token never starts with `-` (it would read as an option).
			let token = randomBytes(32).toString('base64url');
			while (token.startsWith('-')) token = randomBytes(32).toString('base64url');
			service.tokens.set(token, reports.length);
			json(response, 201, {
				reportId: reports.length,
				incidentId: 100 + reports.length,
				token,
				statusUrl: `${service.url}api/v1/reports/status`,
			});
			return;
		}
		if (recorded.method === 'GET' && recorded.path === '/api/v1/reports/status') {
			const token = /^Bearer (.+)$/.exec(recorded.authorization ?? '')?.[1];
			const id = token === undefined ? undefined : service.tokens.get(token);
			const report = id === undefined ? undefined : reports[id - 1];
			if (id === undefined || report === undefined) {
				json(response, 404, { error: { code: 'NOT_FOUND', message: 'No such report.' } });
				return;
			}
			json(response, 200, {
				reportId: id,
				kind: report.kind,
				receivedAt: '2026-11-28T12:00:00.000Z',
				incident: {
					id: 100 + id,
					state: 'investigating',
					url: `${service.url}incidents/${100 + id}`,
				},
			} satisfies ReportStatus);
			return;
		}
		json(response, 404, { error: { code: 'NOT_FOUND', message: 'Nothing is here.' } });
	};
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	service.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
	service.close = () =>
		new Promise<void>((resolve) => {
			server.closeAllConnections();
			server.close(() => resolve());
		});
	return service;
}

export function json(response: ServerResponse, status: number, body: unknown): void {
	const text = JSON.stringify(body);
	response.writeHead(status, {
		'content-type': 'application/json',
		'content-length': Buffer.byteLength(text),
	});
	response.end(text);
}
