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
}

export const MANIFEST_SCHEMA_FILES: readonly PublishedSchema[] = [
	{ file: 'schemas/manifest.schema.json', schema: manifestSchema },
];

/** The exact text written to `file`: tabs, trailing newline, zod's stable key order. */
export function renderSchema({ schema }: PublishedSchema): string {
	// `input`: the schema describes what an author may write (optional fields stay optional).
	return `${JSON.stringify(z.toJSONSchema(schema, { io: 'input' }), null, '\t')}\n`;
}
