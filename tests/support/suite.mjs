// What every end-to-end test file sets up: one Worker for the file's tests, and names that no
// other test (or earlier run against the same storage) uses.
import { after, before } from 'node:test';

import { startWorker } from './worker-server.mjs';

/** Starts a Worker (`options` as for startWorker) before the file's tests, hands it to `use`, and disposes of it after. */
export function withWorker(use, options) {
  let server;
  before(async () => {
    server = await startWorker(options);
    use(server);
  });
  after(async () => {
    await server?.dispose();
  });
}

/** A function returning `${prefix}${stem}.${pid}.${n}`, with n counting up from 1. */
export function uniqueNames(stem) {
  let count = 0;
  return (prefix = '') => {
    count += 1;
    return `${prefix}${stem}.${process.pid}.${count}`;
  };
}
