// The servers `npm run bench` compares, each started the same way and exposing the same face:
// `url`, `channelUrl(channel)`, `broadcast(body)`, `pids` (the processes doing the work) and
// `dispose()`.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

import { root } from '../../scripts/lib/paths.mjs';
import { freePort, startWorker } from '../../tests/support/worker-server.mjs';
import { findProcesses, processTree } from './process-cpu.mjs';

/** Our Worker and ChannelDO, release build, on workerd through wrangler. */
export async function channelDo() {
  const server = await startWorker();
  return workerd('ChannelDO (Rust)', server);
}

/** The minimal JavaScript Durable Object in bench/js-do, on the same workerd. */
export async function floorDo() {
  const server = await startWorker({ directory: join(root, 'bench', 'js-do') });
  return workerd('JS DO (floor)', server);
}

/** PartyKit's partyserver (bench/partyserver), on the same workerd. */
export async function partyServer() {
  const server = await startWorker({ directory: join(root, 'bench', 'partyserver') });
  return {
    ...workerd('partyserver', server),
    channelUrl: (channel) => `ws://127.0.0.1:${server.port}/parties/room/${channel}`,
  };
}

function workerd(name, server) {
  return {
    name,
    hibernates: true,
    url: server.url,
    // Private channels (where whispers are allowed) need a token on ours; the floor ignores it.
    channelUrl: (channel) =>
      channel.startsWith('private-') ? server.userUrl(channel, { sub: 'bench' }) : server.channelUrl(channel),
    broadcast: (body) => server.broadcast(body),
    pids: findProcesses(processTree(server.pid), 'workerd'),
    dispose: () => server.dispose(),
  };
}

/** A bare Node `ws` server (bench/ws-server.mjs) in its own process. */
export async function bareWs() {
  const port = await freePort();
  const child = spawn(process.execPath, [join(root, 'bench', 'ws-server.mjs'), String(port)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => /Ready on/.test(chunk.toString()) && resolve());
    child.once('exit', (code) => reject(new Error(`ws-server exited with ${code}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    name: 'bare ws (Node)',
    hibernates: false,
    url,
    channelUrl: (channel) => `ws://127.0.0.1:${port}/ws/channel/${channel}`,
    broadcast: async (body) => {
      const response = await fetch(`${url}/broadcast`, { method: 'POST', body: JSON.stringify(body) });
      return { status: response.status, body: await response.json() };
    },
    pids: [child.pid],
    dispose: async () => {
      child.kill('SIGKILL');
    },
  };
}
