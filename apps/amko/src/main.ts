#!/usr/bin/env node
// amko's entry point: the CLI (cli.ts). The chart runs it with NODE_OPTIONS sizing V8 for a small operator
// (--max-semi-space-size=2 and an old-space cap from the memory limit; README "Memory").
await import('./cli.js');
