// A CPU profile of one server handling POST /broadcast to an empty channel, from the V8
// inspector of its workerd: where the per-request cost goes, by function (self time).
//
//   node bench/profile.mjs [channelDo|floorDo|partyServer] [requests]
import WebSocket from 'ws';

import * as servers from './lib/servers.mjs';

const which = process.argv[2] ?? 'channelDo';
const requests = Number(process.argv[3] ?? 2000);
const INSPECTOR = '127.0.0.1:9329';
process.env.BENCH_INSPECTOR = INSPECTOR;

const server = await servers[which]();
try {
  const targets = await (await fetch(`http://${INSPECTOR}/json/list`)).json();
  const send = () => server.broadcast({ channels: ['private-profile'], event: 'empty', data: 'x' });
  for (let i = 0; i < 200; i += 1) await send();
  const profiles = [];
  const sessions = await Promise.all(targets.map((target) => open(target.webSocketDebuggerUrl)));
  for (const session of sessions) {
    await session.call('Profiler.enable');
    await session.call('Profiler.setSamplingInterval', { interval: 100 });
    await session.call('Profiler.start');
  }
  for (let i = 0; i < requests; i += 1) await send();
  for (const session of sessions) {
    profiles.push((await session.call('Profiler.stop')).profile);
    session.close();
  }
  report(profiles);
} finally {
  await server.dispose();
}

/** A minimal Chrome DevTools Protocol session. */
function open(url) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    let id = 0;
    const pending = new Map();
    ws.on('message', (raw) => {
      const message = JSON.parse(raw);
      pending.get(message.id)?.(message.result);
      pending.delete(message.id);
    });
    ws.once('error', reject);
    ws.once('open', () =>
      resolve({
        call(method, params = {}) {
          id += 1;
          ws.send(JSON.stringify({ id, method, params }));
          return new Promise((done) => pending.set(id, done));
        },
        close: () => ws.close(),
      }),
    );
  });
}

/** Prints the functions with the most self time, per request. */
function report(profiles) {
  const selfTime = new Map();
  let total = 0;
  for (const profile of profiles) {
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    for (let i = 0; i < profile.samples.length; i += 1) {
      const node = byId.get(profile.samples[i]);
      const delta = profile.timeDeltas[i] ?? 0;
      const { functionName, url } = node.callFrame;
      const key = `${functionName || '(anonymous)'} ${url ? url.split('/').pop() : ''}`.trim();
      selfTime.set(key, (selfTime.get(key) ?? 0) + delta);
      total += delta;
    }
  }
  const rows = [...selfTime].sort((a, b) => b[1] - a[1]).slice(0, 30);
  console.log(`${server.name}: ${requests} requests, ${(total / requests).toFixed(0)} us sampled per request (idle included)`);
  for (const [name, us] of rows) console.log(`${(us / requests).toFixed(1).padStart(8)} us  ${name.slice(0, 110)}`);
}
