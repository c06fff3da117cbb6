// `npm test`: installs what the tests need, then runs every suite against the real Worker on
// workerd and a real headless Chromium. Each step runs even if an earlier check failed, except
// where it needs a build that failed. Ends with one summary line.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import { setup } from './setup.mjs';
import { buildClient, buildWorker } from './build.mjs';
import { run, runCollecting } from './lib/process.mjs';
import { clientDir, root, toolEnv } from './lib/paths.mjs';
import { startWorker } from '../tests/support/worker-server.mjs';

const WASM_TARGET = 'wasm32-unknown-unknown';

const cargo = (...args) => run('cargo', args, { cwd: root, env: toolEnv() });

/** How many times the browser tests run when their page never loads (see `pageNeverLoaded`). */
const BROWSER_ATTEMPTS = 5;

/**
 * Whether a failed `wasm-pack test` run never got as far as running a test: the page still
 * said "Loading scripts..." because wasm-bindgen-test-runner's own file server left some of the
 * page's module requests unanswered (wasm-pack#783; in fresh clones here in three of the last four CI runs, more
 * often the more snippet modules the page imports). That is the harness failing, not a test,
 * so the run is repeated; a test that fails or hangs once running fails the step as usual.
 */
const pageNeverLoaded = (output = '') => /Loading scripts\.\.\.\s*Failed to detect test as having been run/.test(output);

/** Runs `wasm-pack test` in Chromium with a live Worker and control server for the tests. */
async function browserTests() {
  // Imported here, not at the top: it needs the `ws` package, which the install step provides.
  const { startControlServer } = await import('../tests/support/control-server.mjs');
  const worker = await startWorker();
  const control = await startControlServer(worker);
  try {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await runCollecting('wasm-pack', ['test', '--headless', '--chrome', '--release'], {
          cwd: clientDir,
          env: toolEnv({
            CHROMEDRIVER: '/usr/bin/chromedriver',
            // The runner's budget is for the whole suite (20 s by default), not per test; the
            // suite takes under a minute.
            WASM_BINDGEN_TEST_TIMEOUT: '240',
            BROADCAST_TEST_WORKER_URL: worker.url,
            BROADCAST_TEST_CONTROL_URL: control.url,
          }),
        });
        return;
      } catch (err) {
        if (attempt >= BROWSER_ATTEMPTS || !pageNeverLoaded(err.output)) throw err;
        console.log(`\n[test] the test page never loaded its scripts (the runner's file server stalled); attempt ${attempt + 1} of ${BROWSER_ATTEMPTS}`);
      }
    }
  } finally {
    await control.close();
    await worker.dispose();
  }
}

function endToEndTests() {
  const files = readdirSync(join(root, 'tests'))
    .filter((name) => name.endsWith('.test.mjs'))
    .map((name) => join('tests', name));
  return run(process.execPath, ['--test', '--test-concurrency=1', ...files], { cwd: root, env: toolEnv() });
}

const steps = [
  { name: 'install tools', run: () => setup({ browser: true }), required: true },
  { name: 'cargo fmt --check', run: () => cargo('fmt', '--all', '--check') },
  { name: 'clippy (native)', run: () => cargo('clippy', '--workspace', '--all-targets', '--all-features', '--', '-D', 'warnings') },
  {
    name: 'clippy (wasm32)',
    run: () => cargo('clippy', '--workspace', '--all-targets', '--all-features', '--target', WASM_TARGET, '--', '-D', 'warnings'),
  },
  { name: 'cargo test (native)', run: () => cargo('test', '--workspace', '--all-features') },
  { name: 'build Worker and SDK', run: async () => { await buildWorker({ dev: true }); await buildClient(); }, required: true },
  { name: 'browser tests (wasm-pack, Chromium)', run: browserTests },
  { name: 'end-to-end tests (node:test, workerd)', run: endToEndTests },
  {
    name: 'deploy dry run (production bundle)',
    run: () => run(process.execPath, ['--test', 'tests/deploy/production-bundle.test.mjs'], { cwd: root, env: toolEnv() }),
  },
  // Proves the benchmark harness still runs; asserts no timing.
  { name: 'benchmark harness (npm run bench -- --quick)', run: () => run(process.execPath, ['bench/run.mjs', '--quick'], { cwd: root, env: toolEnv() }) },
];

// `npm test -- --only browser` runs the steps whose name contains "browser" (and the install).
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : null;
const selected = steps.filter((step, index) => !only || index === 0 || step.name.includes(only));

const results = [];
for (const step of selected) {
  console.log(`\n=== ${step.name}`);
  const started = Date.now();
  let error = null;
  try {
    await step.run();
  } catch (err) {
    error = err;
    console.error(`--- ${step.name} failed: ${err.message}`);
  }
  results.push({ name: step.name, ok: !error, seconds: (Date.now() - started) / 1000 });
  if (error && step.required) break;
}

console.log('\n=== summary');
for (const result of results) {
  console.log(`${result.ok ? 'ok  ' : 'FAIL'} ${result.name} (${result.seconds.toFixed(1)} s)`);
}
const skipped = selected.length - results.length;
const failed = results.filter((result) => !result.ok).length;
const passed = results.length - failed;
console.log(`steps: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exitCode = failed || skipped ? 1 : 0;
