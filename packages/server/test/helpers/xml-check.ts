/**
 * A strict well-formedness check for the XML the service writes (no parser is a dependency):
 * one declaration, balanced elements, quoted attributes, only the five predefined entities or
 * numeric ones, no `<` or `&` loose in text, no comments, CDATA or processing instructions
 * beyond the declaration. Returns the element names in document order.
 */
import assert from 'node:assert/strict';

const TAG = /<(\/?)([A-Za-z][\w.:-]*)((?:\s+[A-Za-z][\w.:-]*="[^"<]*")*)\s*(\/?)>/y;
const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d{1,7}|#x[0-9A-Fa-f]{1,6});/y;

export function checkXml(text: string): string[] {
	const declaration = '<?xml version="1.0" encoding="utf-8"?>';
	assert.ok(text.startsWith(declaration), 'starts with the XML declaration');
	const stack: string[] = [];
	const names: string[] = [];
	let i = declaration.length;
	let rootClosed = false;
	while (i < text.length) {
		const ch = text[i];
		if (ch === '<') {
			TAG.lastIndex = i;
			const match = TAG.exec(text);
			assert.ok(match, `a well-formed tag at ${i}: ${text.slice(i, i + 40)}`);
			const [whole, closing, name, , selfClosing] = match;
			if (closing === '/') {
				assert.equal(stack.pop(), name, `</${name}> closes the open element`);
				if (stack.length === 0) rootClosed = true;
			} else {
				assert.equal(rootClosed, false, 'one root element');
				names.push(name as string);
				if (selfClosing !== '/') stack.push(name as string);
			}
			i += whole.length;
		} else if (ch === '&') {
			ENTITY.lastIndex = i;
			const match = ENTITY.exec(text);
			assert.ok(match, `a known entity at ${i}: ${text.slice(i, i + 12)}`);
			i += match[0].length;
		} else {
			if (stack.length === 0) assert.match(ch as string, /\s/, 'only whitespace outside the root');
			i++;
		}
	}
	assert.equal(stack.length, 0, 'every element is closed');
	assert.ok(rootClosed, 'a root element');
	return names;
}
