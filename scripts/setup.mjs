// Installs whatever the project needs and is missing. Idempotent: when everything is present at
// the right version it only checks, in a few seconds.
//
//   node scripts/setup.mjs            tools to build and serve
//   node scripts/setup.mjs --browser  also Chromium and chromedriver, for the browser tests
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { capture, run } from './lib/process.mjs';
import { cargoBin, root, toolEnv } from './lib/paths.mjs';

/** Cargo-installed tools, pinned to the versions the lockfile and worker crate expect. */
const CARGO_TOOLS = [
  // Not --locked: its own lockfile wants a crate version the index no longer has.
  { bin: 'wasm-bindgen', crate: 'wasm-bindgen-cli', version: '0.2.130', locked: false },
  { bin: 'worker-build', crate: 'worker-build', version: '0.8.7', locked: true },
  { bin: 'wasm-pack', crate: 'wasm-pack', version: '0.15.1', locked: true },
];

const WASM_TARGET = 'wasm32-unknown-unknown';

function log(message) {
  console.log(`[setup] ${message}`);
}

function toolchainChannel() {
  const toml = readFileSync(join(root, 'rust-toolchain.toml'), 'utf8');
  return toml.match(/^channel\s*=\s*"([^"]+)"/m)[1];
}

async function ensureRustToolchain() {
  const channel = toolchainChannel();
  const targets = capture('rustup', ['target', 'list', '--installed', '--toolchain', channel]);
  const components = capture('rustup', ['component', 'list', '--installed', '--toolchain', channel]) ?? '';
  const ready =
    targets?.split('\n').includes(WASM_TARGET) &&
    components.includes('clippy') &&
    components.includes('rustfmt');
  if (ready) return;
  log(`installing Rust ${channel} with ${WASM_TARGET}, clippy and rustfmt`);
  await run('rustup', [
    'toolchain', 'install', channel, '--profile', 'minimal',
    '--component', 'clippy,rustfmt', '--target', WASM_TARGET,
  ]);
}

async function ensureCargoTools() {
  for (const tool of CARGO_TOOLS) {
    const output = capture(join(cargoBin, tool.bin), ['--version']) ?? '';
    if (output.split(/\s+/).includes(tool.version)) continue;
    log(`installing ${tool.crate} ${tool.version} (a few minutes, once)`);
    const args = ['install', tool.crate, '--version', tool.version, '--force'];
    if (tool.locked) args.push('--locked');
    await run('cargo', args, { cwd: root, env: toolEnv() });
  }
}

async function ensureNodeModules() {
  const installed = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs) return;
  log('installing npm packages');
  await run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root });
}

async function ensureBrowser() {
  if (existsSync('/usr/bin/chromium') && existsSync('/usr/bin/chromedriver')) return;
  log('installing Chromium and chromedriver from apt');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update', '-qq'], { env });
  await run('apt-get', ['install', '-y', '-qq', 'chromium', 'chromium-driver'], { env });
}

/** Installs what is missing: the build tools always, the browser when `browser` is set. */
export async function setup({ browser = false } = {}) {
  await ensureRustToolchain();
  await ensureNodeModules();
  await ensureCargoTools();
  if (browser) await ensureBrowser();
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  await setup({ browser: process.argv.includes('--browser') });
  log('everything is installed');
}
