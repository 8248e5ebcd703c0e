/**
 * Validates a command's real `--json` output against the JSON Schema committed in
 * `schemas/cli/`: the file a host in another language would use, not the zod source.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { type JsonCommand, schemaFileOf } from '../../src/json/index.ts';
import type { CliRun } from '../helpers/cli.ts';

export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

const ajv = new Ajv2020({ allErrors: true, strict: true });
const validators = new Map<string, ValidateFunction>();

function validatorFor(command: JsonCommand | 'error'): ValidateFunction {
	const file = schemaFileOf(command);
	let validate = validators.get(file);
	if (validate === undefined) {
		validate = ajv.compile(JSON.parse(readFileSync(join(ROOT, file), 'utf8')));
		validators.set(file, validate);
	}
	return validate;
}

/** The document printed by `run`, checked against the committed schema of `command`. */
export function assertJsonOutput(
	run: CliRun,
	command: JsonCommand | 'error',
): Record<string, unknown> {
	// JSON.parse refuses anything but exactly one document.
	const document = JSON.parse(run.stdout) as Record<string, unknown>;
	const validate = validatorFor(command);
	assert.ok(
		validate(document),
		`${command} output does not match ${schemaFileOf(command)}: ${ajv.errorsText(validate.errors)}\n${run.stdout}\n${run.stderr}`,
	);
	// The promise of docs/json-output.md: `ok` is true exactly when the exit code is 0.
	assert.equal(document.ok, run.code === 0, `ok against exit code ${run.code}`);
	return document;
}

/** A failed run: its exit code, and the error document with the expected code. */
/** The error's fields, for a test that checks its message or hint too. */
export interface JsonErrorFields {
	code: string;
	message: string;
	hint?: string;
	details?: Record<string, unknown>;
}

export function assertJsonError(run: CliRun, exitCode: number, code: string): JsonErrorFields {
	assert.equal(run.code, exitCode, run.stdout + run.stderr);
	const document = assertJsonOutput(run, 'error');
	const error = document.error as JsonErrorFields;
	assert.equal(error.code, code);
	return error;
}
