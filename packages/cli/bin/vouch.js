#!/usr/bin/env node
// The `vouch` command. It loads the compiled CLI, so it runs on plain Node with no TypeScript
// tooling; `npm ci` at the repository root (or `npm run build`) writes dist/.
import '../dist/bin.js';
