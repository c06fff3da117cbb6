// The SDK's npm manifest. wasm-pack writes a minimal one (no `exports`, no README in `files`);
// this rewrites it into the package we publish, and fails the build if it would ship a file
// that is not there.
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { clientDir } from './paths.mjs';

const CLIENT_PACKAGE_NAME = 'broadcast-client';

/** The files wasm-bindgen emits for `--target web`, named after the crate. */
const JS = 'broadcast_client.js';
const TYPES = 'broadcast_client.d.ts';
const WASM = 'broadcast_client_bg.wasm';

/** Where wasm-bindgen puts the `inline_js` snippets that the JS glue imports. */
const SNIPPETS = 'snippets';

const KEYWORDS = [
  'websocket',
  'realtime',
  'broadcast',
  'pubsub',
  'presence',
  'webassembly',
  'wasm',
  'cloudflare',
  'durable-objects',
];

/**
 * The published manifest, from the one wasm-pack generated. Pure: `hasSnippets` says whether
 * wasm-bindgen emitted a snippets folder (it does only for crates with `inline_js`).
 */
export function clientManifest(generated, { hasSnippets = true } = {}) {
  return {
    name: CLIENT_PACKAGE_NAME,
    version: generated.version,
    description: generated.description,
    license: generated.license,
    repository: generated.repository,
    keywords: KEYWORDS,
    type: 'module',
    // `main` and `module` for tools that predate `exports`; `types` for TypeScript's `paths`
    // and `node10` resolution, which also ignore `exports`.
    main: JS,
    module: JS,
    types: TYPES,
    exports: {
      // `types` first: TypeScript takes the first condition that matches.
      '.': { types: `./${TYPES}`, import: `./${JS}`, default: `./${JS}` },
      // For bundlers that copy or preload the module themselves (e.g. Vite's `?url`).
      [`./${WASM}`]: `./${WASM}`,
      './package.json': './package.json',
    },
    // Kept as wasm-pack writes it (`["./snippets/*"]`), in case an `inline_js` snippet runs code
    // on import. Ours only declare functions, so they need no such mark; and bundlers' `*` does
    // not cross the `snippets/<crate-hash>/` folder, so in effect every file counts as free of
    // side effects, which is true of this package.
    sideEffects: generated.sideEffects ?? false,
    // broadcast_client_bg.wasm.d.ts stays out: it types the raw wasm exports, which only the
    // generated glue uses, and broadcast_client.d.ts does not refer to it.
    files: [JS, TYPES, WASM, ...(hasSnippets ? [SNIPPETS] : []), 'README.md', 'LICENSE'],
  };
}

/**
 * Turns wasm-pack's output in `pkgDir` into the publishable package: copies the SDK's README and
 * rewrites package.json. Throws if a file the manifest lists is missing. (wasm-pack 0.15 copies
 * README.md and the LICENSE symlink's target too, but lists neither in `files`; copying the
 * README here keeps the package whole whatever wasm-pack's rules for finding one.)
 */
export function finalizeClientPackage(pkgDir = join(clientDir, 'pkg')) {
  copyFileSync(join(clientDir, 'README.md'), join(pkgDir, 'README.md'));
  const manifestPath = join(pkgDir, 'package.json');
  const generated = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const manifest = clientManifest(generated, { hasSnippets: existsSync(join(pkgDir, SNIPPETS)) });
  const missing = manifest.files.filter((file) => !existsSync(join(pkgDir, file)));
  if (missing.length > 0) {
    throw new Error(`client-wasm/pkg lacks ${missing.join(', ')}, which package.json would ship`);
  }
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
