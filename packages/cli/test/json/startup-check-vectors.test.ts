/**
 * The startup-check vectors shared with the Python adapter (test/vectors/startup-check/). Each
 * vector says whether its document fits the committed JSON Schema, and what a host decides from
 * it; this side checks the first with the schema and the zod type, and the second wherever the
 * document is one this version of Vouch prints. The Python tests check the decisions of every
 * vector, so both sides read the same cases the same way.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { startupCheckDocument } from '../../src/json/startup-check.ts';
import { ROOT } from './schema-check.ts';

export interface StartupCheckVector {
	description: string;
	run: {
		exitCode?: number;
		document?: unknown;
		stdout?: string;
		stdoutBase64?: string;
		timedOut?: boolean;
		stdoutTooLarge?: boolean;
		startError?: string;
	};
	conformsToSchema?: boolean;
	expect: {
		answered: boolean;
		failure: string | null;
		vouchCode?: string;
		load: string[];
		blocked: Record<string, string[]>;
		needsRefresh: boolean;
		/** Per UUID: the severity, incident link and advice a host shows, sanitised. */
		blockDetails?: Record<
			string,
			{
				severity: string | null;
				incident: string | null;
				advice: string | null;
				alsoSoftReasons?: string[];
			}
		>;
	};
}

export const VECTOR_DIR = join(ROOT, 'test', 'vectors', 'startup-check');

const vectors = readdirSync(VECTOR_DIR)
	.filter((file) => file.endsWith('.json'))
	.sort()
	.map((file) => ({
		file,
		vector: JSON.parse(readFileSync(join(VECTOR_DIR, file), 'utf8')) as StartupCheckVector,
	}));

const schema = JSON.parse(
	readFileSync(join(ROOT, 'schemas', 'cli', 'startup-check.schema.json'), 'utf8'),
) as { required: string[] };
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);

/** The document of a vector as a program would see it, or undefined when it is not one. */
function documentOf(vector: StartupCheckVector): unknown {
	if (vector.run.document !== undefined) return vector.run.document;
	if (vector.run.stdout === undefined) return undefined;
	try {
		return JSON.parse(vector.run.stdout);
	} catch {
		return undefined;
	}
}

const uuids = (items: unknown): string[] => (items as { uuid: string }[]).map((item) => item.uuid);

describe('shared startup-check vectors', () => {
	it('cover answers, failures and the forward-compatible cases', () => {
		assert.ok(vectors.length > 20);
		const failures = new Set(vectors.map(({ vector }) => vector.expect.failure));
		for (const code of [
			null,
			'timeout',
			'not-found',
			'output-too-large',
			'exit-code',
			'vouch-error',
			'invalid-json',
			'invalid-document',
			'unknown-schema-version',
		])
			assert.ok(failures.has(code), `no vector for ${code}`);
	});

	for (const { file, vector } of vectors) {
		it(`${file}: ${vector.description}`, () => {
			const document = documentOf(vector);
			if (vector.conformsToSchema !== undefined) {
				assert.notEqual(document, undefined, 'a vector that names its schema fit has a document');
				assert.equal(
					validate(document),
					vector.conformsToSchema,
					JSON.stringify(validate.errors ?? []),
				);
				// zod drops unknown keys rather than refusing them, so it can only confirm a fit.
				if (vector.conformsToSchema)
					assert.ok(startupCheckDocument.safeParse(document).success, 'the zod type accepts it');
			}
			const { expect } = vector;
			if (!expect.answered) {
				assert.deepEqual(expect.load, [], 'a failure loads nothing');
				return;
			}
			// Vouch answered: exit 0 with a document that says ok.
			assert.equal(vector.run.exitCode, 0);
			const answer = document as Record<string, unknown>;
			assert.equal(answer.ok, true);
			// Never more than Vouch allowed: every plugin the host loads is in `load`.
			const allowed = uuids(answer.load);
			for (const uuid of expect.load) assert.ok(allowed.includes(uuid), uuid);
			if (vector.conformsToSchema === true) {
				// A document this version prints: the host loads exactly `load`, in its order.
				assert.deepEqual(expect.load, allowed);
				assert.deepEqual(expect.blocked.disabled ?? [], uuids(answer.disabled));
				assert.deepEqual(expect.blocked.quarantined ?? [], uuids(answer.quarantined));
				assert.deepEqual(expect.blocked['held-back'] ?? [], uuids(answer.heldBack));
				assert.deepEqual(expect.blocked.removed ?? [], uuids(answer.removed));
				assert.deepEqual(expect.blocked.refused ?? [], []);
				const state = (answer.blacklist as { state: string }).state;
				assert.equal(expect.needsRefresh, state !== 'fresh');
				// Written with the fields of this version, so that a field added to the document
				// without new vectors shows here.
				assert.deepEqual(Object.keys(answer).sort(), [...schema.required].sort());
			}
		});
	}
});
