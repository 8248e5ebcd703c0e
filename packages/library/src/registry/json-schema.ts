/** The registry format as JSON Schema, for `schemas/registry.schema.json`. */
import * as z from 'zod';
import { registryDocumentSchema } from './schema.ts';

/** File name under `schemas/` and the schema itself, ready for the schema writer. */
export const REGISTRY_JSON_SCHEMA_FILE = 'registry.schema.json';

export function registryJsonSchema(): Record<string, unknown> {
	// `input`: what a file may contain (optional keys stay optional).
	return z.toJSONSchema(registryDocumentSchema, { io: 'input' }) as Record<string, unknown>;
}
