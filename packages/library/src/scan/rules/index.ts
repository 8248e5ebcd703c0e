/** All rules, in the order their findings are produced. */
import type { Matcher } from '../engine/matcher.ts';
import { reachMatchers } from '../reach/matchers.ts';
import { archiveMatchers } from './archives.ts';
import { codeExecMatchers } from './code-exec.ts';
import { dynamicImportMatchers } from './dynamic-import.ts';
import { endpointMatchers } from './endpoints.ts';
import { filesystemMatchers } from './filesystem.ts';
import { functionConstructorMatchers } from './function-constructor.ts';
import { hiddenCallableMatchers } from './hidden-callable.ts';
import { hiddenLookupMatchers } from './hidden-lookup.ts';
import { identifierMatchers } from './identifiers.ts';
import { introspectionMatchers } from './introspection.ts';
import { loaderMatchers } from './loaders.ts';
import { nativeMatchers } from './native.ts';
import { networkMatchers } from './network.ts';
import { obfuscationMatchers } from './obfuscation.ts';
import { processMatchers } from './process.ts';
import { secretMatchers } from './secrets.ts';
import { stagerMatchers } from './stager.ts';

export { checkBidiText as bidiTextRule } from './bidi.ts';
export { checkPackedText as packedTextRule } from './packed.ts';

export const ALL_MATCHERS: readonly Matcher[] = [
	...codeExecMatchers,
	...dynamicImportMatchers,
	...processMatchers,
	...stagerMatchers,
	...networkMatchers,
	...endpointMatchers,
	...filesystemMatchers,
	...archiveMatchers,
	...secretMatchers,
	...introspectionMatchers,
	...obfuscationMatchers,
	...identifierMatchers,
	...nativeMatchers,
	...reachMatchers(),
	// Hidden paths to a capability.
	...hiddenLookupMatchers,
	...hiddenCallableMatchers,
	...functionConstructorMatchers,
	...loaderMatchers,
];
