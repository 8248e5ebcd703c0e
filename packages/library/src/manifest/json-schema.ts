/**
 * JSON Schema publication. The files in `schemas/` are generated from the zod schemas, so
 * they cannot drift from what the code accepts: `npm run schemas` writes them
 * (`scripts/write-schemas.ts`), and a test compares the committed files with a fresh rendering.
 */
import * as z from 'zod';
import { manifestSchema } from './schema.ts';

export interface PublishedSchema {
	/** Path relative to the repository root. */
	file: string;
	schema: z.ZodType;
	/** `input` (default) for files people write; `output` for documents Vouch prints. */
	io?: 'input' | 'output';
}

export const MANIFEST_SCHEMA_FILES: readonly PublishedSchema[] = [
	{ file: 'schemas/manifest.schema.json', schema: manifestSchema },
];

/** The exact text written to `file`: tabs, trailing newline, zod's stable key order. */
export function renderSchema({ schema, io = 'input' }: PublishedSchema): string {
	// `input`: the schema describes what an author may write (optional fields stay optional).
	// `output`: what a program reading Vouch's output can rely on; objects are closed, so a
	// field the code adds without its schema fails the tests that validate real output.
	return `${JSON.stringify(z.toJSONSchema(schema, { io }), null, '\t')}\n`;
}
