// The load client of one server as the bench sees it: a Node process of its own
// (bench/lib/load-agent.mjs) holding that server's sockets, driven over IPC. Each call resolves
// with what the agent measured, or rejects with why the round failed.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const AGENT = fileURLToPath(new URL('./load-agent.mjs', import.meta.url));

/**
 * Starts the load client for a server whose broadcasts are POSTed as `target`
 * (`{ url, headers }`).
 */
export async function startLoadClient(target) {
  const child = fork(AGENT, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map();
  let nextId = 0;
  child.on('message', ({ id, result, error }) => {
    const call = pending.get(id);
    pending.delete(id);
    if (error === undefined) call.resolve(result);
    else call.reject(new Error(error));
  });
  child.once('exit', (code, signal) => {
    for (const call of pending.values()) call.reject(new Error(`the load client exited (${signal ?? code})`));
    pending.clear();
  });
  const call = (op, args = {}) =>
    new Promise((resolve, reject) => {
      nextId += 1;
      pending.set(nextId, { resolve, reject });
      child.send({ id: nextId, op, args });
    });
  await call('setup', { target });
  return {
    /** Opens `count` sockets to `url` on `channel`; resolves with the seconds it took. */
    connect: (url, count, channel) => call('connect', { url, count, channel }).then((r) => r.seconds),
    /** One timed broadcast to the channel: `{ first, last }` in milliseconds. */
    broadcast: (marker, data) => call('broadcast', { marker, data }),
    /** One timed whisper from socket `index`: milliseconds to the last other socket. */
    whisper: (index, marker) => call('whisper', { index, marker }),
    /** `count` timed POSTs to a channel without sockets: milliseconds of each. */
    requests: (emptyChannel, count) => call('requests', { emptyChannel, count }),
    /** Deliveries per second with `window` broadcasts in flight for `seconds`. */
    sustained: (window, seconds, data) => call('sustained', { window, seconds, data }),
    /** Drops the sockets (the process stays for the next N). */
    close: () => call('close'),
    dispose: () => {
      child.kill('SIGKILL');
    },
  };
}
