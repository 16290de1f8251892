#!/usr/bin/env node
// amko's entry point: runs the CLI (cli.ts) with V8 sized for a small operator. A young generation of 2 MiB
// semi-spaces (V8's default grows them to 16-32 MiB) keeps the heap from ballooning with short-lived garbage while
// member clusters are listed and thousands of GslbServices are written: peak RSS at 1000 FQDNs x 2 members
// 318-336 -> 216-291 MiB, after a restart 216-219 -> 161-180 MiB (npm run bench:amko -- --fqdns 1000, three runs
// each, README "Memory"), sync time unchanged within the machine's noise. When the
// flag is missing (not in node's arguments nor NODE_OPTIONS) the process replaces itself (execve: same PID, no
// second process) with one that has it. AMKO_NODE_FLAGS=off keeps node's defaults.
const FLAG = '--max-semi-space-size';
const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
if (process.env.AMKO_NODE_FLAGS !== 'off' && typeof process.execve === 'function' && !given.some((a) => a.startsWith(FLAG))) {
  process.execve(process.execPath, [process.execPath, ...process.execArgv, `${FLAG}=2`, process.argv[1]!, ...process.argv.slice(2)], process.env);
}
await import('./cli.js');
