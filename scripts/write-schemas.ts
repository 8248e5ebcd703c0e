/**
 * `npm run schemas`: writes every published JSON Schema into `schemas/` from its zod source.
 * Run it after changing a schema and commit the result; a test fails while they differ.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI_SCHEMA_FILES } from '../packages/cli/src/json/index.ts';
import {
	MANIFEST_SCHEMA_FILES,
	type PublishedSchema,
	renderSchema,
} from '../packages/library/src/manifest/json-schema.ts';
import { registryDocumentSchema } from '../packages/library/src/registry/schema.ts';

export const PUBLISHED_SCHEMAS: readonly PublishedSchema[] = [
	...MANIFEST_SCHEMA_FILES,
	{ file: 'schemas/registry.schema.json', schema: registryDocumentSchema },
	// Every `--json` document of the CLI (docs/json-output.md).
	...CLI_SCHEMA_FILES,
];

export function writeSchemas(root: string): string[] {
	return PUBLISHED_SCHEMAS.map((entry) => {
		const target = join(root, entry.file);
		mkdirSync(dirname(target), { recursive: true });
		writeFileSync(target, renderSchema(entry));
		return entry.file;
	});
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
	const root = join(dirname(fileURLToPath(import.meta.url)), '..');
	for (const file of writeSchemas(root)) process.stdout.write(`wrote ${file}\n`);
}
