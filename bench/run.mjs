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

import { root, workerDir } from '../scripts/lib/paths.mjs';
import { measureBundle } from '../scripts/lib/bundle-size.mjs';
import { startLoadClient } from './lib/load.mjs';
import { cpuMicros, rssBytes } from './lib/process-cpu.mjs';
import { measurePeers, packageVersion } from './lib/peer-bundles.mjs';
import { measureSdkCpu } from './lib/sdk-cpu.mjs';
import { median, p99 } from './lib/stats.mjs';
import { barChart, lineChart } from './lib/svg.mjs';
import { compatibility } from './lib/workerd.mjs';
import { bareWs, channelDo, floorDo, floorDoWithHistory, partyServer } from './lib/servers.mjs';

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
/** The empty-channel requests are sent in this many blocks, the servers interleaved. */
const EMPTY_CHANNEL_BLOCKS = 10;
/** Measured for the per-request cost only: the floor doing ours' history write too. */
const requestOnlyServers = [floorDoWithHistory];

const fixed = (value, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

/**
 * The servers in a different order for each round: over `rounds` rounds every server comes
 * first (right after another server's round, or after a pause) equally often.
 */
const rotated = (list, round) => list.map((_, i) => list[(i + round) % list.length]);

/**
 * Runs `rounds` rounds of `step(entry, round)` for every entry still in `live`, the servers
 * interleaved (rotated) within each round; a server whose step fails is recorded, its sockets
 * dropped and it leaves `live`. Returns each server's results, in round order.
 */
async function interleave(live, count, rounds, step) {
  const results = new Map(live.map((entry) => [entry, []]));
  for (let round = 0; round < rounds; round += 1) {
    for (const entry of rotated(live, round)) {
      if (!live.includes(entry)) continue;
      try {
        results.get(entry).push(await step(entry, round));
      } catch (err) {
        await fail(live, entry, count, err);
      }
    }
  }
  return results;
}

/** Records why `entry` failed at N = `count` and takes it out of this N's remaining rounds. */
async function fail(live, entry, count, err) {
  const { server, load } = entry;
  console.log(`[bench] ${server.name} N=${count} failed: ${err.message}`);
  // What the runtime printed (a crash, an exception in the object), if the server keeps it.
  const output = server.output?.().trim();
  if (output) console.log(`[bench] ${server.name} printed:\n${output.slice(-2000)}`);
  failures.push({ server: server.name, count, error: err.message });
  live.splice(live.indexOf(entry), 1);
  await load.close().catch(() => {});
}

/** User plus system CPU of each server's process from now until `stop()` is called. */
function cpuOf(live) {
  const start = new Map(live.map((entry) => [entry, cpuMicros(entry.server.pids)]));
  return { stop: () => new Map(live.map((entry) => [entry, cpuMicros(entry.server.pids) - start.get(entry)])) };
}

/**
 * CPU and time of POST /broadcast to a channel nobody listens on: the per-request cost, in
 * blocks of requests with the servers interleaved. Many requests: the kernel accounts CPU in
 * 10 ms ticks.
 */
async function measureEmptyChannel(entries) {
  const live = [...entries];
  const emptyChannel = `private-empty.${Date.now()}`;
  const perBlock = Math.ceil(plan.emptyRequests / EMPTY_CHANNEL_BLOCKS);
  await interleave(live, 0, 1, ({ load }) => load.requests(emptyChannel, plan.warmup * 5));
  const cpu = cpuOf(live);
  const results = await interleave(live, 0, EMPTY_CHANNEL_BLOCKS, ({ load }) => load.requests(emptyChannel, perBlock));
  const spent = cpu.stop();
  for (const entry of live) {
    const times = results.get(entry).flat();
    const cpuPerRequest = spent.get(entry) / times.length;
    requests.push({ server: entry.server.name, cpuPerRequest, median: median(times), p99: p99(times) });
    console.log(`[bench] ${entry.server.name} empty channel: ${fixed(cpuPerRequest, 1)} us CPU/request, ${fixed(median(times), 2)} ms median`);
  }
}

/** Every figure at N = `count` sockets per server, all servers connected at once. */
async function measureCount(entries, count) {
  const channel = `private-bench.${count}.${Date.now()}`;
  const live = [...entries];
  const connections = new Map();
  for (const entry of rotated(entries, plan.counts.indexOf(count))) {
    const { server, load } = entry;
    try {
      const rssBefore = rssBytes(server.pids);
      const seconds = await load.connect(server.channelUrl(channel), count, channel);
      connections.set(entry, { acceptPerSecond: count / seconds, bytesPerSocket: (rssBytes(server.pids) - rssBefore) / count });
    } catch (err) {
      await fail(live, entry, count, err);
    }
  }
  for (const size of plan.sizes) {
    const data = 'x'.repeat(size);
    await interleave(live, count, plan.warmup, ({ load }, round) => load.broadcast(`warm-${size}-${round}-`, data));
    const cpu = cpuOf(live);
    const rounds = await interleave(live, count, plan.rounds, ({ load }, round) => load.broadcast(`round-${size}-${round}-`, data));
    const spent = cpu.stop();
    const measured = [...live];
    // Whispers from a different socket each time, well inside the per-socket rate limit.
    const whispers = size === plan.sizes[0] ? await interleave(live, count, plan.rounds, ({ load }, round) => load.whisper(round, `whisper-${round}-`)) : null;
    for (const entry of measured) {
      const firsts = rounds.get(entry).map((round) => round.first);
      const lasts = rounds.get(entry).map((round) => round.last);
      const row = {
        server: entry.server.name, count, size, ...connections.get(entry),
        cpuPerDelivery: spent.get(entry) / (plan.rounds * count),
        firstMedian: median(firsts), firstP99: p99(firsts), lastMedian: median(lasts), lastP99: p99(lasts),
      };
      if (whispers && live.includes(entry)) {
        row.whisperMedian = median(whispers.get(entry));
        row.whisperP99 = p99(whispers.get(entry));
      }
      rows.push(row);
      console.log(`[bench] ${row.server} N=${count} ${size} B: last delivery ${fixed(row.lastMedian)} ms median, ${fixed(row.cpuPerDelivery, 2)} us CPU/delivery`);
    }
  }
  if (count === LOAD_COUNT) await measureLoadAndWake(live, count);
  await Promise.all(live.map(({ load }) => load.close()));
}

/** Sustained deliveries per second for each window, then the first broadcast after hibernation. */
async function measureLoadAndWake(live, count) {
  const data = 'x'.repeat(plan.sizes[0]);
  const perWindow = new Map(live.map((entry) => [entry, []]));
  for (const [index, window] of plan.windows.entries()) {
    for (const entry of rotated(live, index)) {
      if (!live.includes(entry)) continue;
      try {
        const rate = await entry.load.sustained(window, plan.loadSeconds, data);
        perWindow.get(entry).push({ window, rate });
        console.log(`[bench] ${entry.server.name} N=${count} window ${window}: ${fixed(rate, 0)} deliveries/s`);
      } catch (err) {
        await fail(live, entry, count, err);
      }
    }
  }
  for (const entry of live) loads.push({ server: entry.server.name, count, perWindow: perWindow.get(entry) });
  // Let the objects be evicted (nothing pings), then time each one's first broadcast and a warm one.
  const sleepers = live.filter((entry) => entry.server.hibernates);
  await new Promise((resolve) => setTimeout(resolve, plan.idleSeconds * 1000));
  for (const entry of sleepers) {
    try {
      const cold = await entry.load.broadcast('after-idle-', data);
      const warm = await entry.load.broadcast('warm-again-', data);
      wakes.push({ server: entry.server.name, count, idle: plan.idleSeconds, cold: cold.last, warm: warm.last });
    } catch (err) {
      await fail(live, entry, count, err);
    }
  }
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

/**
 * Where ours differs most from the peers in this run, each with what causes it (the causes come
 * from profiles: bench/profile.mjs for the server, the bundle's contents for the client).
 */
function differencesSection(rows, bundle, peers, sdk) {
  const cpuOf = (name) => requests.find((entry) => entry.server === name)?.cpuPerRequest;
  const ours = cpuOf('ChannelDO (Rust)');
  const at = (name) => rows.find((row) => row.server === name && row.count === LOAD_COUNT && row.size === plan.sizes[0]);
  const ratio = (a, b) => (Number.isFinite(a / b) ? `${(a / b).toFixed(2)}x` : 'n/a');
  const smallest = [...peers].sort((a, b) => a.bytes - b.bytes)[0];
  const sdkSmall = sdk.results?.[0];
  return [
    '## The biggest differences, and their causes',
    '',
    `1. **Per request** (empty channel): ours costs ${ratio(ours, cpuOf('JS DO (floor)'))} the CPU of the JS DO, and ${ratio(ours, cpuOf('JS DO + history'))} the same JS DO storing each broadcast in SQLite as ours does, so that reconnecting clients get what they missed. The difference between those two floors (${ratio(cpuOf('JS DO + history'), cpuOf('JS DO (floor)'))}) is that write: one INSERT and its commit, whose confirmation also holds the response (see the median latency). What remains between ours and the second floor is the Rust Worker's crossings between JavaScript and WebAssembly: three awaited promises through wasm-bindgen-futures (each a promise callback and a microtask) and some twenty calls across the boundary, where a JavaScript Worker stays in one heap. For a channel with sockets this is paid once per broadcast, so it fades with N.`,
    `2. **Per delivery, against no runtime**: at N = ${LOAD_COUNT} each Durable Object server spends ${ratio(at('ChannelDO (Rust)')?.cpuPerDelivery, at('bare ws (Node)')?.cpuPerDelivery)} (ours), ${ratio(at('JS DO (floor)')?.cpuPerDelivery, at('bare ws (Node)')?.cpuPerDelivery)} (JS DO) and ${ratio(at('partyserver')?.cpuPerDelivery, at('bare ws (Node)')?.cpuPerDelivery)} (partyserver) the CPU of a bare Node \`ws\` server per delivered message. That is the runtime's send path, common to all three: every \`send\` goes from JavaScript into workerd, which frames and queues the message for that socket and writes it on its own. Ours sends one prebuilt string from a JavaScript loop (worker/src/fanout.rs) like the JS DO, so the two differ by little more than noise (this run: ${ratio(at('ChannelDO (Rust)')?.cpuPerDelivery, at('JS DO (floor)')?.cpuPerDelivery)}); partyserver walks an iterator that wraps each socket as a connection and reads its state and its id (from the socket's attachment) for the exclusion (${ratio(at('partyserver')?.cpuPerDelivery, at('JS DO (floor)')?.cpuPerDelivery)} the JS DO).`,
    `3. **Client size**: ours is ${bundle.total} B, ${ratio(bundle.total, smallest?.bytes)} ${smallest?.name ?? 'the smallest peer'}, which is a reconnecting socket without a protocol (no channels, presence, recovery or heartbeat); against the clients with those features it is ${peers.filter((peer) => /pusher|centrifuge/.test(peer.name)).map((peer) => `${ratio(bundle.total, peer.bytes)} ${peer.name}`).join(', ')}. The WebAssembly module is most of ours (${bundle.wasm} B gzip): the Rust code, the allocator and the glue wasm-bindgen generates for every import and export (whose names the build shortens, scripts/lib/short-glue-names.mjs).${sdkSmall ? ` Per received message the SDK does ${ratio(sdkSmall.ours, sdkSmall.plain)} the work of \`JSON.parse\` and a callback at ${sdkSmall.size} B, the cost of handing each frame to WebAssembly and the event back (an event repeating a channel and name already checked is recognized in one call, client-wasm/src/known_event.rs; the first of each is checked in full); at larger payloads the parse dominates and the two meet.` : ''}`,
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
  const runtime = compatibility(workerDir);
  const lines = [
    '# Benchmarks',
    '',
    `Machine: ${cpus().length} cores, ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version}.`,
    `Versions: workerd ${packageVersion('workerd')} (compatibility date ${runtime.date}, flags: ${runtime.flags.join(', ') || 'none'}), partyserver ${packageVersion('partyserver')}, ws ${packageVersion('ws')} (the load client and the bare server).`,
    `Command: \`npm run bench${quick ? ' -- --quick' : counts ? ` -- --counts ${counts.join(',')}` : ''}\` (${seconds.toFixed(0)} s). Servers on 127.0.0.1, all running at once, each driven by its own load client process (bench/lib/load-agent.mjs, the same code for every server); ${plan.rounds} rounds per figure after ${plan.warmup} warm-up rounds, interleaved: each round calls every server once, in an order rotated from round to round, so that every server is called equally often and comes first equally often.`,
    '',
    '## Fan-out: POST /broadcast to delivery',
    '',
    '| server | N | message | first median ms | first p99 ms | last median ms | last p99 ms | last vs JS DO |',
    '|--------|---|---------|-----------------|--------------|----------------|-------------|---------------|',
    ...rows.map((row) => `| ${row.server} | ${row.count} | ${row.size} B | ${fixed(row.firstMedian)} | ${fixed(row.firstP99)} | ${fixed(row.lastMedian)} | ${fixed(row.lastP99)} | ${ratio(row, 'lastMedian')} |`),
    '',
    '## Server CPU per delivered message',
    '',
    'User plus system time of each server\'s own process (the workerd process running the Worker and its Durable Object, which the load client talks to directly; or the Node process) from the first to the last timed round, divided by its deliveries; it includes the HTTP request of each round, and any work a round leaves behind. Each process idles while the other servers\' rounds run.',
    '',
    '| server | N | message | CPU us per delivery | vs JS DO |',
    '|--------|---|---------|---------------------|----------|',
    ...rows.map((row) => `| ${row.server} | ${row.count} | ${row.size} B | ${fixed(row.cpuPerDelivery, 2)} | ${ratio(row, 'cpuPerDelivery')} |`),
    '',
    '## Per request: POST /broadcast to an empty channel',
    '',
    `${plan.emptyRequests} sequential requests to a channel without sockets, after ${plan.warmup * 5} warm-up ones, in ${EMPTY_CHANNEL_BLOCKS} blocks with the servers interleaved: what every broadcast costs before any fan-out. Ours also checks the bearer secret in constant time, validates names, sizes and nesting, and stores the event in the channel's SQLite history for recovery; the JS DO does none of that, so the run also measures it storing every broadcast with one SQLite INSERT ("JS DO + history", this figure only).`,
    '',
    '| server | CPU us per request | vs JS DO | vs JS DO + history | median ms | p99 ms |',
    '|--------|--------------------|----------|--------------------|-----------|--------|',
    ...requests.map((entry) => {
      const versus = (name) => {
        const other = requests.find((candidate) => candidate.server === name)?.cpuPerRequest;
        return other ? `${fixed(entry.cpuPerRequest / other, 2)}x` : 'n/a';
      };
      return `| ${entry.server} | ${fixed(entry.cpuPerRequest, 1)} | ${versus('JS DO (floor)')} | ${versus('JS DO + history')} | ${fixed(entry.median, 2)} | ${fixed(entry.p99, 2)} |`;
    }),
    '',
    '## Connections',
    '',
    '| server | N | accepted per second | server memory per socket |',
    '|--------|---|---------------------|--------------------------|',
    ...rows.filter((row) => row.size === plan.sizes[0]).map((row) => `| ${row.server} | ${row.count} | ${fixed(row.acceptPerSecond, 0)} | ${fixed(row.bytesPerSocket / 1024, 1)} KiB |`),
    '',
    ...(failures.length ? ['Runs that failed (no figures for them below):', '', ...failures.map((f) => `- ${f.server} ${f.count ? `at N = ${f.count}` : 'on the empty channel'}: ${f.error}`), ''] : []),
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
    ...differencesSection(rows, bundle, peers, sdk),
  ];
  return lines.join('\n');
}

const started = performance.now();
const rows = [];
const loads = [];
const wakes = [];
const requests = [];
const failures = [];
// Every server up at once, each with its own load client, so that their rounds can interleave.
const entries = [];
try {
  for (const start of [...servers, ...requestOnlyServers]) {
    const entry = { server: await start(), load: null, fansOut: servers.includes(start) };
    entries.push(entry);
    entry.load = await startLoadClient(entry.server.broadcastTarget);
  }
  await measureEmptyChannel(entries);
  const fanOutEntries = entries.filter((entry) => entry.fansOut);
  for (const count of plan.counts) await measureCount(fanOutEntries, count);
} finally {
  for (const { server, load } of entries) {
    load?.dispose();
    await server.dispose();
  }
}
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
