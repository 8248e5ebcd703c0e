/**
 * The last pass of a scan: text files whose name does not say "code" are still scanned as code
 * when they parse as code. A loader the scanner did not recognise (a path built in pieces, an
 * evaluator reached by a hidden name) may run them, so what they would do is reported. Prose,
 * markup and configuration almost never parse cleanly as Python or JavaScript, and valid JSON
 * (which does) is data, so honest data files stay quiet. `.pth` files are Python for the lines
 * `site` executes (those starting with `import`).
 *
 * Findings here are reported under the file's own name. A file the bounds keep from this pass
 * is not reported as unscanned: nothing says it is code, and the loads that name it were
 * already checked by the loaded-files pass.
 */
import type { Finding, SourceLanguage } from '../types.ts';
import { fileFinding } from './file-finding.ts';
import { mayBeCode } from './looks-like-code.ts';
import { decodeSource } from './read.ts';
import { type FileOutcome, type FileScanContext, scanOneFile } from './scan-file.ts';
import type { WalkedFile } from './walk.ts';

const LANGUAGES: readonly SourceLanguage[] = ['python', 'javascript'];
/**
 * Time for one try at reading a text as code. Valid code parses in milliseconds; what takes
 * longer is the parser recovering from errors in prose that `mayBeCode` let through, which
 * would not parse cleanly anyway.
 */
const TRY_MS = 2000;
const NAMES: Readonly<Record<string, string>> = { python: 'Python', javascript: 'JavaScript' };

export interface PlainTextResult {
	/** Findings of text scanned as code; those of `.pth` files are in their outcomes. */
	findings: Finding[];
	outcomes: FileOutcome[];
}

function isJson(text: string): boolean {
	try {
		JSON.parse(text);
		return true;
	} catch {
		return false;
	}
}

export async function scanPlainText(
	candidates: readonly WalkedFile[],
	context: FileScanContext,
	scannedAs: ReadonlySet<string>,
	deadline: number,
): Promise<PlainTextResult> {
	const result: PlainTextResult = { findings: [], outcomes: [] };
	// Its own budget: data read here must not starve code of the main pass's bound.
	const budget = { remaining: context.limits.maxTotalBytes };
	for (const file of candidates) {
		if (context.clock() >= deadline || budget.remaining <= 0) break;
		if (/\.pth$/i.test(file.name)) {
			const outcome = await scanOneFile({ ...file, language: 'python', pth: true }, context);
			result.outcomes.push(outcome);
			continue;
		}
		const read = await context.reader.bounded(file.path, context.limits.maxFileBytes);
		if (read.status !== 'ok' || read.size > budget.remaining) continue;
		budget.remaining -= read.size;
		const decoded = decodeSource(read.bytes, 'javascript');
		if (!decoded.ok || decoded.text.trim() === '' || isJson(decoded.text)) continue;
		for (const language of LANGUAGES) {
			if (scannedAs.has(`${language}:${file.path}`)) continue;
			if (!mayBeCode(decoded.text, language === 'python')) continue;
			// Compiling the language's rules (once) is not part of this try's short bound.
			const scan = await context.runner.run(
				{
					path: file.relative,
					language,
					text: decoded.text,
					timeoutMs: Math.min(TRY_MS, context.limits.fileTimeoutMs),
					maxNestingDepth: context.limits.maxNestingDepth,
				},
				context.signal,
			);
			if (scan.status !== 'scanned') continue;
			if (scan.findings.some((finding) => finding.ruleId === 'partial-parse')) continue;
			if (scan.findings.length === 0) continue;
			result.findings.push(
				fileFinding(
					'file-loaded-as-code',
					file.relative,
					`parses as ${NAMES[language]}, so it was scanned as such: a loader may run it`,
				),
			);
			for (const finding of scan.findings) result.findings.push(finding);
		}
	}
	return result;
}
