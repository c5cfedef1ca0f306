#!/usr/bin/env node
// After `vite build`: brotli and gzip copies of every text asset of a built app (`<file>.br`,
// `<file>.gz`), which the server sends to browsers that accept them (serveStatic's precompressed
// option), so nothing is compressed per request. Usage: node compress-dist.mjs <dist folder>
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { extname, join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const TEXT = new Set([".js", ".mjs", ".css", ".html", ".svg", ".json", ".txt", ".map"]);
/** Below this, the headers cost more than compression saves. */
const MIN_BYTES = 1024;

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

const dist = process.argv[2];
if (!dist) {
  console.error("usage: compress-dist.mjs <dist folder>");
  process.exit(2);
}
let raw = 0;
let br = 0;
for (const path of files(dist)) {
  if (!TEXT.has(extname(path))) continue;
  const body = readFileSync(path);
  if (body.length < MIN_BYTES) continue;
  const brotli = brotliCompressSync(body, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
  });
  writeFileSync(`${path}.br`, brotli);
  writeFileSync(`${path}.gz`, gzipSync(body, { level: 9 }));
  raw += body.length;
  br += brotli.length;
}
console.log(`compressed ${dist}: ${raw} bytes of text assets -> ${br} with brotli`);
