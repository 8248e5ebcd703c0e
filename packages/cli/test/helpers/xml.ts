/**
 * A strict reader for the XML the CLI writes (the monitor's Atom feed): elements, attributes in
 * quotes, the five predefined entities and numeric references, an XML declaration. Anything
 * else (an unclosed or mismatched tag, a raw `<` or `&` in text, a control character) throws,
 * so a test that reads a feed through it fails on a feed a real reader would reject.
 */
export interface XmlElement {
	name: string;
	attributes: Record<string, string>;
	children: XmlElement[];
	text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
// biome-ignore lint/suspicious/noControlCharactersInRegex: XML 1.0 forbids these characters.
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\uFFFE\uFFFF]/;

function decode(text: string): string {
	if (text.includes('<')) throw new Error(`raw < in text: ${text}`);
	return text.replace(/&([^;]*);?/g, (match, name: string) => {
		if (!match.endsWith(';')) throw new Error(`bare & in text: ${text}`);
		if (name in ENTITIES) return ENTITIES[name] as string;
		const hex = /^#x([0-9a-fA-F]+)$/.exec(name);
		const dec = /^#([0-9]+)$/.exec(name);
		if (hex) return String.fromCodePoint(Number.parseInt(hex[1] as string, 16));
		if (dec) return String.fromCodePoint(Number(dec[1]));
		throw new Error(`unknown entity &${name};`);
	});
}

export function parseXml(source: string): XmlElement {
	if (FORBIDDEN.test(source)) throw new Error('a character XML 1.0 forbids');
	let at = 0;
	const declaration = /^<\?xml[^?]*\?>\s*/.exec(source);
	if (declaration) at = declaration[0].length;
	const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
	const stack: XmlElement[] = [root];
	const tag =
		/<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/y;
	while (at < source.length) {
		const next = source.indexOf('<', at);
		const text = source.slice(at, next === -1 ? source.length : next);
		const current = stack.at(-1) as XmlElement;
		if (stack.length === 1 && text.trim() !== '') throw new Error('text outside the root element');
		current.text += decode(text);
		if (next === -1) break;
		tag.lastIndex = next;
		const match = tag.exec(source);
		if (match === null)
			throw new Error(`malformed tag at ${next}: ${source.slice(next, next + 40)}`);
		const [whole, closing, name, attributeText, selfClosing] = match as unknown as string[];
		if (closing === '/') {
			const open = stack.pop();
			if (open === undefined || open.name !== name || stack.length === 0) {
				throw new Error(`</${name}> closes <${open?.name}>`);
			}
		} else {
			const attributes: Record<string, string> = {};
			for (const attribute of (attributeText as string).matchAll(
				/([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g,
			)) {
				const key = attribute[1] as string;
				if (key in attributes) throw new Error(`attribute ${key} twice`);
				attributes[key] = decode(attribute[2] ?? attribute[3] ?? '');
			}
			const element: XmlElement = { name: name as string, attributes, children: [], text: '' };
			if (stack.length === 1 && root.children.length > 0) throw new Error('two root elements');
			current.children.push(element);
			if (selfClosing !== '/') stack.push(element);
		}
		at = next + (whole as string).length;
	}
	if (stack.length !== 1) throw new Error(`<${stack.at(-1)?.name}> is never closed`);
	if (root.children.length !== 1) throw new Error('no root element');
	return root.children[0] as XmlElement;
}

export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
	return element.children.filter((child) => child.name === name);
}

export function childText(element: XmlElement, name: string): string | undefined {
	return childrenNamed(element, name)[0]?.text;
}
