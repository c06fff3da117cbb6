// Shortens the names the SDK's .wasm and its JavaScript glue know each other by.
//
// wasm-bindgen names every import after the binding plus a 16-digit hash
// (`__wbg_clearTimeout_924a530c97ad6d43`) and every export after the Rust item
// (`broadcastclient_onRecoveryFailed`). Both files carry each name, the hashes do not compress,
// and a bundler cannot rename them (they are object keys and property reads): about 1.5 KB of
// every page's download, plus the path of the snippet module each inline-JavaScript import names.
// This gives each one a short name in both files. It renames only what the glue itself defines
// and reads (the imports of its own module, the exports and the keys of its imports object), and
// fails the build if the glue does not look as expected, rather than ship a module that cannot
// link.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The module name wasm-bindgen gives the glue's own imports. */
const GLUE_MODULE = './broadcast_client_bg.js';
const IMPORT_SECTION = 2;
const EXPORT_SECTION = 7;

/** `a`, `b`, ..., `Z`, `aa`, `ab`, ...: the `index`th short identifier. */
function shortName(index) {
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let name = '';
  let rest = index;
  do {
    name = letters[rest % letters.length] + name;
    rest = Math.floor(rest / letters.length) - 1;
  } while (rest >= 0);
  return name;
}

/** A cursor over a wasm binary that reads LEB128 numbers and names. */
class Reader {
  constructor(bytes, offset) {
    this.bytes = bytes;
    this.offset = offset;
  }

  u32() {
    let value = 0;
    let shift = 0;
    let byte;
    do {
      byte = this.bytes[this.offset++];
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return value;
  }

  name() {
    const length = this.u32();
    const text = this.bytes.subarray(this.offset, this.offset + length).toString('utf8');
    this.offset += length;
    return text;
  }

  /** The bytes from `start` to here, unchanged. */
  since(start) {
    return this.bytes.subarray(start, this.offset);
  }
}

function u32Bytes(value) {
  const out = [];
  let rest = value;
  do {
    let byte = rest & 0x7f;
    rest = Math.floor(rest / 128);
    if (rest > 0) byte |= 0x80;
    out.push(byte);
  } while (rest > 0);
  return Buffer.from(out);
}

function nameBytes(text) {
  const bytes = Buffer.from(text, 'utf8');
  return Buffer.concat([u32Bytes(bytes.length), bytes]);
}

/** Skips an import's description (function, table, memory, global or tag). */
function skipImportDescription(reader) {
  const kind = reader.bytes[reader.offset++];
  const limits = () => {
    const flags = reader.bytes[reader.offset++];
    reader.u32();
    if (flags & 1) reader.u32();
  };
  if (kind === 0) reader.u32();
  else if (kind === 1) {
    reader.offset += 1;
    limits();
  } else if (kind === 2) limits();
  else if (kind === 3) reader.offset += 2;
  else if (kind === 4) {
    reader.offset += 1;
    reader.u32();
  } else throw new Error(`unknown import kind ${kind} in the SDK's .wasm`);
}

/**
 * Rewrites the import and export sections of `wasm`, renaming glue imports and exports through
 * `rename(kind, name)`. Returns the new binary.
 */
function renameInWasm(wasm, rename) {
  const reader = new Reader(wasm, 8);
  const parts = [wasm.subarray(0, 8)];
  while (reader.offset < wasm.length) {
    const sectionStart = reader.offset;
    const id = wasm[reader.offset++];
    const size = reader.u32();
    const end = reader.offset + size;
    if (id !== IMPORT_SECTION && id !== EXPORT_SECTION) {
      reader.offset = end;
      parts.push(reader.since(sectionStart));
      continue;
    }
    const count = reader.u32();
    const body = [u32Bytes(count)];
    for (let i = 0; i < count; i += 1) {
      if (id === IMPORT_SECTION) {
        const module = reader.name();
        const field = reader.name();
        const descriptionStart = reader.offset;
        skipImportDescription(reader);
        const renamed = module === GLUE_MODULE ? rename('import', field) : field;
        body.push(nameBytes(rename('module', module)), nameBytes(renamed), reader.since(descriptionStart));
      } else {
        const field = reader.name();
        const descriptionStart = reader.offset;
        reader.offset += 1;
        reader.u32();
        // The memory keeps its name: short already, and a word the glue also uses elsewhere.
        const renamed = field === 'memory' ? field : rename('export', field);
        body.push(nameBytes(renamed), reader.since(descriptionStart));
      }
    }
    if (reader.offset !== end) throw new Error(`the SDK's .wasm section ${id} did not parse to its end`);
    const content = Buffer.concat(body);
    parts.push(Buffer.from([id]), u32Bytes(content.length), content);
  }
  return Buffer.concat(parts);
}

const escape = (text) => text.replace(/[$]/g, '\\$&');

/**
 * Shortens the glue names of the package in `dir` (its .wasm, its JavaScript and the .wasm's
 * declarations). Returns how many names changed.
 */
export function shortenGlueNames(dir) {
  const wasmPath = join(dir, 'broadcast_client_bg.wasm');
  const jsPath = join(dir, 'broadcast_client.js');
  const typesPath = join(dir, 'broadcast_client_bg.wasm.d.ts');
  const names = { import: new Map(), export: new Map(), module: new Map() };
  let next = 0;
  const wasm = renameInWasm(readFileSync(wasmPath), (kind, name) => {
    if (!names[kind].has(name)) names[kind].set(name, shortName(next++));
    return names[kind].get(name);
  });
  const { import: imports, export: exports, module: modules } = names;

  let js = readFileSync(jsPath, 'utf8');
  const replaceOnce = (pattern, replacement, what) => {
    const matches = js.match(new RegExp(pattern.source, 'gm'))?.length ?? 0;
    if (matches !== 1) throw new Error(`the SDK glue defines ${what} ${matches} times, not once`);
    js = js.replace(pattern, replacement);
  };
  for (const [name, short] of imports) {
    replaceOnce(new RegExp(`^(\\s+)${escape(name)}: function`, 'm'), `$1${short}: function`, `import ${name}`);
  }
  for (const [name, short] of exports) {
    js = js.replace(new RegExp(`\\bwasm\\.${escape(name)}\\b`, 'g'), `wasm.${short}`);
  }
  // The keys of the imports object, one per import of a snippet (the same module may repeat);
  // the `import ... from` statements keep the real paths.
  for (const [name, short] of modules) {
    js = js.replaceAll(`"${name}": import`, `"${short}": import`);
  }
  // Whatever still reads a long name would fail to link or call `undefined`: refuse to ship it.
  const leftovers = [
    ...[...imports.keys()].filter((name) => new RegExp(`\\b${escape(name)}\\b`).test(js)),
    ...[...exports.keys()].filter((name) => new RegExp(`\\bwasm\\.${escape(name)}\\b`).test(js)),
    ...[...modules.keys()].filter((name) => js.includes(`"${name}": import`)),
  ];
  if (leftovers.length > 0 || /\bwasm\[/.test(js)) {
    throw new Error(`the SDK glue's layout has changed: it still reads ${leftovers.join(', ') || 'wasm[...]'}`);
  }

  let types = readFileSync(typesPath, 'utf8');
  for (const [name, short] of exports) {
    types = types.replace(new RegExp(`\\bconst ${escape(name)}:`), `const ${short}:`);
  }

  writeFileSync(wasmPath, wasm);
  writeFileSync(jsPath, js);
  writeFileSync(typesPath, types);
  return imports.size + exports.size + modules.size;
}
