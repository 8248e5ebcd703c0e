/**
 * The propagation bench alone, without the rest of `npm run bench`:
 * `node --conditions=vouch-source --import tsx bench/propagation/main.ts [--json]`.
 */
import { runPropagationBench } from './run-propagation-bench.ts';

const json = process.argv.includes('--json');
const result = await runPropagationBench({ print: !json });
if (json) console.log(JSON.stringify({ node: process.version, propagation: result }, null, 2));
