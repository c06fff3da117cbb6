// `npm run bench`: our ChannelDO against a minimal JavaScript Durable Object (the runtime's
// floor), PartyKit's partyserver and a bare Node `ws` server (no runtime at all), and the SDK's
// work per received message in Chromium against plain JSON.parse, on this machine, in one run;
// writes docs/benchmarks.md. The Durable Object servers run on the bare workerd binary, without
// wrangler dev's proxy (bench/lib/servers.mjs).
//
//   node bench/run.mjs                    the full plan (about 15 minutes), writes docs/
//   node bench/run.mjs --quick            a small plan in about a minute that proves the harness
//                                         works (npm test runs it); report in a temporary file
//   node bench/run.mjs --counts 1000,5000 the full plan at these socket counts only; report in a
//                                         temporary file, docs/ untouched
import { cpus, tmpdir, totalmem } from 'node:os';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { root } from '../scripts/lib/paths.mjs';
import { measureBundle } from '../scripts/lib/bundle-size.mjs';
import { closeAll, connectSockets, sustainedDeliveries, timedBroadcast, timedWhisper } from './lib/load.mjs';
import { cpuMicros, rssBytes } from './lib/process-cpu.mjs';
import { measurePeers } from './lib/peer-bundles.mjs';
import { measureSdkCpu } from './lib/sdk-cpu.mjs';
import { median, p99 } from './lib/stats.mjs';
import { barChart, lineChart } from './lib/svg.mjs';
import { bareWs, channelDo, floorDo, partyServer } from './lib/servers.mjs';

const quick = process.argv.includes('--quick');
/** `--counts a,b`: only these socket counts (a partial run, which leaves docs/ alone). */
const countsIndex = process.argv.indexOf('--counts');
const counts = countsIndex === -1 ? null : process.argv[countsIndex + 1]?.split(',').map(Number);
if (counts && !counts.every((n) => Number.isInteger(n) && n > 0)) {
  throw new Error('--counts wants socket counts separated by commas, e.g. --counts 1000,5000');
}
const partial = quick || counts !== null;
const plan = quick
  ? { counts: [50], sizes: [100], rounds: 10, warmup: 2, windows: [1, 4], loadSeconds: 0.5, idleSeconds: 0, emptyRequests: 20 }
  : { counts: counts ?? [100, 1000, 5000], sizes: [100, 4096], rounds: 100, warmup: 10, windows: [1, 4, 16], loadSeconds: 5, idleSeconds: 20, emptyRequests: 1000 };
/** SDK work per received message in Chromium: messages per round and side, after a warm-up. */
const sdkPlan = quick
  ? { messages: 5_000, warmup: 1_000, rounds: 3, sizes: [100, 4096] }
  : { messages: 100_000, warmup: 10_000, rounds: 5, sizes: [100, 4096] };
/** The N at which sustained throughput and hibernation are measured. */
const LOAD_COUNT = quick ? 50 : 1000;
const servers = [channelDo, floorDo, partyServer, bareWs];

const fixed = (value, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

/** CPU and time of one POST /broadcast to a channel nobody listens on: the per-request cost. */
async function measureEmptyChannel(server) {
  const channel = `private-empty.${Date.now()}`;
  const send = () => server.broadcast({ channels: [channel], event: 'empty', data: 'x' });
  for (let i = 0; i < plan.warmup * 5; i += 1) await send();
  const times = [];
  const cpuStart = cpuMicros(server.pids);
  // Many: the kernel accounts CPU in 10 ms ticks.
  for (let i = 0; i < plan.emptyRequests; i += 1) {
    const begin = performance.now();
    const { status } = await send();
    times.push(performance.now() - begin);
    if (status !== 200) throw new Error(`POST /broadcast answered ${status}`);
  }
  const cpuPerRequest = (cpuMicros(server.pids) - cpuStart) / plan.emptyRequests;
  requests.push({ server: server.name, cpuPerRequest, median: median(times), p99: p99(times) });
  console.log(`[bench] ${server.name} empty channel: ${fixed(cpuPerRequest, 1)} us CPU/request, ${fixed(median(times), 2)} ms median`);
}

async function measureServer(start) {
  const server = await start();
  const rows = [];
  try {
    await measureEmptyChannel(server).catch((err) => failures.push({ server: server.name, count: 0, error: err.message }));
    for (const count of plan.counts) {
      try {
        await measureCount(server, count, rows);
      } catch (err) {
        closeAll(openSockets);
        // fetch() says only "fetch failed"; its cause says why (a reset, a closed socket).
        const error = err.cause ? `${err.message} (${err.cause.code ?? err.cause.message})` : err.message;
        console.log(`[bench] ${server.name} N=${count} failed: ${error}`);
        // What the runtime printed (a crash, an exception in the object), if the server keeps it.
        const output = server.output?.().trim();
        if (output) console.log(`[bench] ${server.name} printed:\n${output.slice(-2000)}`);
        failures.push({ server: server.name, count, error });
      }
    }
  } finally {
    await server.dispose();
  }
  return rows;
}

async function measureCount(server, count, rows) {
  const channel = `private-bench.${count}.${Date.now()}`;
  const rssBefore = rssBytes(server.pids);
  const connectStart = performance.now();
  const sockets = await connectSockets(server.channelUrl(channel), count);
  openSockets = sockets;
  const acceptPerSecond = count / ((performance.now() - connectStart) / 1000);
  const bytesPerSocket = (rssBytes(server.pids) - rssBefore) / count;
  for (const size of plan.sizes) {
    const data = 'x'.repeat(size);
    for (let i = 0; i < plan.warmup; i += 1) {
      await timedBroadcast(server, channel, sockets, `warm-${size}-${i}-`, data);
    }
    const firsts = [];
    const lasts = [];
    const cpuStart = cpuMicros(server.pids);
    for (let i = 0; i < plan.rounds; i += 1) {
      const { first, last } = await timedBroadcast(server, channel, sockets, `round-${size}-${i}-`, data);
      firsts.push(first);
      lasts.push(last);
    }
    const cpuPerDelivery = (cpuMicros(server.pids) - cpuStart) / (plan.rounds * count);
    const row = {
      server: server.name, count, size, acceptPerSecond, bytesPerSocket, cpuPerDelivery,
      firstMedian: median(firsts), firstP99: p99(firsts), lastMedian: median(lasts), lastP99: p99(lasts),
    };
    if (size === plan.sizes[0]) {
      // Whispers from a different socket each time, well inside the per-socket rate limit.
      const whispers = [];
      for (let i = 0; i < plan.rounds; i += 1) {
        const sender = sockets[i % count];
        whispers.push(await timedWhisper(sender, sockets.filter((ws) => ws !== sender), channel, `whisper-${i}-`));
      }
      row.whisperMedian = median(whispers);
      row.whisperP99 = p99(whispers);
    }
    rows.push(row);
    console.log(`[bench] ${server.name} N=${count} ${size} B: last delivery ${fixed(median(lasts))} ms median, ${fixed(cpuPerDelivery, 2)} us CPU/delivery`);
  }
  if (count === LOAD_COUNT) {
    const data = 'x'.repeat(plan.sizes[0]);
    loads.push({
      server: server.name,
      count,
      perWindow: [],
    });
    for (const window of plan.windows) {
      const rate = await sustainedDeliveries(server, channel, sockets, window, plan.loadSeconds, data);
      loads.at(-1).perWindow.push({ window, rate });
      console.log(`[bench] ${server.name} N=${count} window ${window}: ${fixed(rate, 0)} deliveries/s`);
    }
    if (server.hibernates) {
      // Let the object be evicted (nothing pings), then time the first broadcast and a warm one.
      await new Promise((resolve) => setTimeout(resolve, plan.idleSeconds * 1000));
      const cold = await timedBroadcast(server, channel, sockets, 'after-idle-', data);
      const warm = await timedBroadcast(server, channel, sockets, 'warm-again-', data);
      wakes.push({ server: server.name, count, idle: plan.idleSeconds, cold: cold.last, warm: warm.last });
    }
  }
  closeAll(sockets);
}

/** The SDK section: its figures, or why there are none. */
function sdkCpuSection(sdk) {
  const lines = [
    '## SDK work per received message (Chromium)',
    '',
    'In a headless Chromium page, a fake `WebSocket` installed as the global hands prebuilt event frames (flat strings, increasing offsets, after the server\'s `welcome`) straight to the socket\'s `onmessage`; `performance.now()` times the loop until a listener registered with `client.on` has run, and the listener counts the deliveries (the run fails unless every message arrives). The floor is what any JavaScript client must do: `JSON.parse`, a `Map` lookup of the event\'s callback, the call. The payload is JSON of records padded to the size; the page is served by bench/lib/sdk-cpu.mjs, the method is in bench/sdk-cpu/measure.js.',
    '',
  ];
  if (sdk.error) return [...lines, `No figures: ${sdk.error}`, ''];
  return [
    ...lines,
    `Chromium ${sdk.chromium}; ${sdk.messages} messages per round and side, ${sdk.rounds} rounds (sides alternating) after ${sdk.warmup} warm-up messages; median of the rounds.`,
    '',
    '| payload | frame | ours ns/message | JSON.parse + callback ns/message | ours vs it |',
    '|---------|-------|-----------------|----------------------------------|------------|',
    ...sdk.results.map((row) => `| ${row.size} B | ${row.frameBytes} B | ${fixed(row.ours, 0)} | ${fixed(row.plain, 0)} | ${fixed(row.ratio, 2)}x |`),
    '',
  ];
}

function report(rows, bundle, peers, sdk, seconds) {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const byKey = (row) => `${row.count}/${row.size}`;
  const floor = new Map(rows.filter((row) => row.server === 'JS DO (floor)').map((row) => [byKey(row), row]));
  const ratio = (row, field) => {
    const value = row[field] / floor.get(byKey(row))?.[field];
    return Number.isFinite(value) ? `${value.toFixed(2)}x` : 'n/a';
  };
  const lines = [
    '# Benchmarks',
    '',
    `Machine: ${cpus().length} cores, ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version}.`,
    `Command: \`npm run bench${quick ? ' -- --quick' : counts ? ` -- --counts ${counts.join(',')}` : ''}\` (${seconds.toFixed(0)} s). Servers on 127.0.0.1, the load client in one Node process; ${plan.rounds} rounds per figure after ${plan.warmup} warm-up rounds.`,
    '',
    '## Fan-out: POST /broadcast to delivery',
    '',
    '| server | N | message | first median ms | first p99 ms | last median ms | last p99 ms | last vs JS DO |',
    '|--------|---|---------|-----------------|--------------|----------------|-------------|---------------|',
    ...rows.map((row) => `| ${row.server} | ${row.count} | ${row.size} B | ${fixed(row.firstMedian)} | ${fixed(row.firstP99)} | ${fixed(row.lastMedian)} | ${fixed(row.lastP99)} | ${ratio(row, 'lastMedian')} |`),
    '',
    '## Server CPU per delivered message',
    '',
    'User plus system time of the server process over the timed rounds (the workerd process running the Worker and its Durable Object, which the load client talks to directly; or the Node process), divided by the deliveries; it includes the HTTP request of each round.',
    '',
    '| server | N | message | CPU us per delivery | vs JS DO |',
    '|--------|---|---------|---------------------|----------|',
    ...rows.map((row) => `| ${row.server} | ${row.count} | ${row.size} B | ${fixed(row.cpuPerDelivery, 2)} | ${ratio(row, 'cpuPerDelivery')} |`),
    '',
    '## Per request: POST /broadcast to an empty channel',
    '',
    `${plan.emptyRequests} sequential requests to a channel without sockets, after ${plan.warmup * 5} warm-up ones: what every broadcast costs before any fan-out. Ours also checks the bearer secret in constant time, validates names, sizes and nesting, and stores the event in the channel's SQLite history for recovery; the JS DO does none of that.`,
    '',
    '| server | CPU us per request | vs JS DO | median ms | p99 ms |',
    '|--------|--------------------|----------|-----------|--------|',
    ...requests.map((entry) => {
      const floorCpu = requests.find((other) => other.server === 'JS DO (floor)')?.cpuPerRequest;
      return `| ${entry.server} | ${fixed(entry.cpuPerRequest, 1)} | ${floorCpu ? `${fixed(entry.cpuPerRequest / floorCpu, 2)}x` : 'n/a'} | ${fixed(entry.median, 2)} | ${fixed(entry.p99, 2)} |`;
    }),
    '',
    '## Connections',
    '',
    '| server | N | accepted per second | server memory per socket |',
    '|--------|---|---------------------|--------------------------|',
    ...rows.filter((row) => row.size === plan.sizes[0]).map((row) => `| ${row.server} | ${row.count} | ${fixed(row.acceptPerSecond, 0)} | ${fixed(row.bytesPerSocket / 1024, 1)} KiB |`),
    '',
    ...(failures.length ? ['Runs that failed (no figures for them below):', '', ...failures.map((f) => `- ${f.server} at N = ${f.count}: ${f.error}`), ''] : []),
    '![POST to last delivery against N](benchmarks-latency.svg)',
    '',
    '## Whisper: a client\'s whisper to the last other socket',
    '',
    `A private channel, ${plan.sizes[0]}-byte data, a different sender each round.`,
    '',
    '| server | N | median ms | p99 ms | vs JS DO |',
    '|--------|---|-----------|--------|----------|',
    ...rows.filter((row) => row.whisperMedian !== undefined).map((row) => `| ${row.server} | ${row.count} | ${fixed(row.whisperMedian)} | ${fixed(row.whisperP99)} | ${ratio(row, 'whisperMedian')} |`),
    '',
    `## Sustained deliveries per second at N = ${LOAD_COUNT}`,
    '',
    `A closed loop keeping a window of broadcasts in flight for ${plan.loadSeconds} s; where the rate stops growing with the window, the server is saturated.`,
    '',
    `| server | ${plan.windows.map((w) => `window ${w}`).join(' | ')} |`,
    `|--------|${plan.windows.map(() => '---').join('|')}|`,
    ...loads.map((load) => `| ${load.server} | ${load.perWindow.map((entry) => fixed(entry.rate, 0)).join(' | ')} |`),
    '',
    '## First broadcast after the object hibernated',
    '',
    `After ${plan.idleSeconds} s without traffic (workerd evicts an idle object after about 10 to 15 s), POST to last delivery of the first broadcast, then of the next one.`,
    '',
    '| server | N | after idle ms | warm ms |',
    '|--------|---|---------------|---------|',
    ...wakes.map((wake) => `| ${wake.server} | ${wake.count} | ${fixed(wake.cold)} | ${fixed(wake.warm)} |`),
    '',
    '## Browser client size',
    '',
    'Each package bundled with esbuild the way an application would (an entry that constructs one client), minified, gzip -9. Ours is the JavaScript glue plus the `.wasm`.',
    '',
    '| package | versions | bytes | ours vs it |',
    '|---------|----------|-------|------------|',
    `| broadcast-client (ours) | JS ${bundle.js} B + wasm ${bundle.wasm} B | ${bundle.total} | 1.00x |`,
    ...peers.map((peer) => `| ${peer.name} | ${peer.versions} | ${peer.bytes} | ${fixed(bundle.total / peer.bytes, 2)}x |`),
    '',
    '![Client bundle sizes](benchmarks-bundles.svg)',
    '',
    ...sdkCpuSection(sdk),
  ];
  return lines.join('\n');
}

const started = performance.now();
const rows = [];
const loads = [];
const wakes = [];
const requests = [];
const failures = [];
/** The sockets of the N being measured, closed if its measurement fails. */
let openSockets = [];
for (const start of servers) rows.push(...(await measureServer(start)));
const bundle = await measureBundle();
const peers = await measurePeers();
// In the browser, after every server has stopped.
const sdk = await measureSdkCpu(sdkPlan).catch((err) => ({ error: err.message }));
if (sdk.error) console.log(`[bench] SDK work per message failed: ${sdk.error}`);
for (const row of sdk.results ?? []) {
  console.log(`[bench] SDK ${row.size} B: ${fixed(row.ours, 0)} ns/message, JSON.parse + callback ${fixed(row.plain, 0)} ns (${fixed(row.ratio, 2)}x)`);
}
const markdown = report(rows, bundle, peers, sdk, (performance.now() - started) / 1000);
const outDir = partial ? tmpdir() : join(root, 'docs');
const reportFile = join(outDir, quick ? 'benchmarks-quick.md' : counts ? 'benchmarks-partial.md' : 'benchmarks.md');
writeFileSync(reportFile, markdown);

const smallest = plan.sizes[0];
const series = [...new Set(rows.map((row) => row.server))].map((name) => ({
  name,
  points: rows.filter((row) => row.server === name && row.size === smallest).map((row) => [row.count, row.lastMedian]),
}));
writeFileSync(
  join(outDir, 'benchmarks-latency.svg'),
  lineChart(`POST /broadcast to last delivery, ${smallest} B, median`, series, 'connected sockets (N)', 'ms'),
);
const bars = [{ label: 'broadcast-client (ours)', value: bundle.total }, ...peers.map((peer) => ({ label: peer.name, value: peer.bytes }))];
writeFileSync(join(outDir, 'benchmarks-bundles.svg'), barChart('Client bundle, minified + gzip -9', bars, 'B'));
console.log(`[bench] wrote ${reportFile} and its plots`);
// The quick run proves the harness works; a part that produced nothing fails it.
if (quick && sdk.error) process.exitCode = 1;
