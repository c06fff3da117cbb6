// What the browser SDK costs a page: the package's JavaScript, bundled and minified with
// esbuild the way an application would ship it, plus its .wasm, each compressed with gzip -9.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

import { clientDir } from './paths.mjs';

export const packageDir = join(clientDir, 'pkg');

/** The entry an application would write: load the module and construct one client. */
const ENTRY = `
import init, { createBroadcastClient } from './broadcast_client.js';
await init();
createBroadcastClient('/ws/channel/news').on('headline', console.log);
`;

const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length;

/** Sizes in bytes: `js` and `wasm` gzipped, their `total`, and the raw `wasmRaw`. */
export async function measureBundle(dir = packageDir) {
  const bundle = await build({
    stdin: { contents: ENTRY, resolveDir: dir, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const wasm = await readFile(join(dir, 'broadcast_client_bg.wasm'));
  const js = gzip(bundle.outputFiles[0].contents);
  const wasmGzip = gzip(wasm);
  return { js, wasm: wasmGzip, total: js + wasmGzip, wasmRaw: wasm.length };
}
