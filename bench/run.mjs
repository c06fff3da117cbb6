// `npm run bench`: our ChannelDO against a minimal JavaScript Durable Object (the runtime's
// floor) and a bare Node `ws` server (no runtime at all), on this machine, in one run; writes
// docs/benchmarks.md. `--quick` runs a small plan in about a minute to prove the harness works
// (npm test does) and writes its report to a temporary file instead.
import { cpus, tmpdir, totalmem } from 'node:os';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { root } from '../scripts/lib/paths.mjs';
import { measureBundle } from '../scripts/lib/bundle-size.mjs';
import { closeAll, connectSockets, timedBroadcast } from './lib/load.mjs';
import { cpuMicros, rssBytes } from './lib/process-cpu.mjs';
import { measurePeers } from './lib/peer-bundles.mjs';
import { median, p99 } from './lib/stats.mjs';
import { barChart, lineChart } from './lib/svg.mjs';
import { bareWs, channelDo, floorDo } from './lib/servers.mjs';

const quick = process.argv.includes('--quick');
const plan = quick
  ? { counts: [50], sizes: [100], rounds: 10, warmup: 2 }
  : { counts: [100, 1000], sizes: [100, 4096], rounds: 100, warmup: 10 };
const servers = [channelDo, floorDo, bareWs];

const fixed = (value, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

async function measureServer(start) {
  const server = await start();
  const rows = [];
  try {
    for (const count of plan.counts) {
      const channel = `bench.${count}.${Date.now()}`;
      const rssBefore = rssBytes(server.pid);
      const connectStart = performance.now();
      const sockets = await connectSockets(server.channelUrl(channel), count);
      const acceptPerSecond = count / ((performance.now() - connectStart) / 1000);
      const bytesPerSocket = (rssBytes(server.pid) - rssBefore) / count;
      for (const size of plan.sizes) {
        const data = 'x'.repeat(size);
        for (let i = 0; i < plan.warmup; i += 1) {
          await timedBroadcast(server, channel, sockets, `warm-${size}-${i}-`, data);
        }
        const firsts = [];
        const lasts = [];
        const cpuStart = cpuMicros(server.pid);
        for (let i = 0; i < plan.rounds; i += 1) {
          const { first, last } = await timedBroadcast(server, channel, sockets, `round-${size}-${i}-`, data);
          firsts.push(first);
          lasts.push(last);
        }
        const cpuPerDelivery = (cpuMicros(server.pid) - cpuStart) / (plan.rounds * count);
        rows.push({
          server: server.name, count, size, acceptPerSecond, bytesPerSocket, cpuPerDelivery,
          firstMedian: median(firsts), firstP99: p99(firsts), lastMedian: median(lasts), lastP99: p99(lasts),
        });
        console.log(`[bench] ${server.name} N=${count} ${size} B: last delivery ${fixed(median(lasts))} ms median, ${fixed(cpuPerDelivery, 2)} us CPU/delivery`);
      }
      closeAll(sockets);
    }
  } finally {
    await server.dispose();
  }
  return rows;
}

function report(rows, bundle, peers, seconds) {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const byKey = (row) => `${row.count}/${row.size}`;
  const floor = new Map(rows.filter((row) => row.server === 'JS DO (floor)').map((row) => [byKey(row), row]));
  const ratio = (row, field) => fixed(row[field] / floor.get(byKey(row))?.[field], 2);
  const lines = [
    '# Benchmarks',
    '',
    `Machine: ${cpus().length} cores, ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version}.`,
    `Command: \`npm run bench${quick ? ' -- --quick' : ''}\` (${seconds.toFixed(0)} s). Servers on 127.0.0.1, the load client in one Node process; ${plan.rounds} rounds per figure after ${plan.warmup} warm-up rounds.`,
    '',
    '## Fan-out: POST /broadcast to delivery',
    '',
    '| server | N | message | first median ms | first p99 ms | last median ms | last p99 ms | last vs JS DO |',
    '|--------|---|---------|-----------------|--------------|----------------|-------------|---------------|',
    ...rows.map((row) => `| ${row.server} | ${row.count} | ${row.size} B | ${fixed(row.firstMedian)} | ${fixed(row.firstP99)} | ${fixed(row.lastMedian)} | ${fixed(row.lastP99)} | ${ratio(row, 'lastMedian')}x |`),
    '',
    '## Server CPU per delivered message',
    '',
    'User plus system time of the server process (workerd, or the Node process) over the timed rounds, divided by the deliveries; it includes the HTTP request of each round.',
    '',
    '| server | N | message | CPU us per delivery | vs JS DO |',
    '|--------|---|---------|---------------------|----------|',
    ...rows.map((row) => `| ${row.server} | ${row.count} | ${row.size} B | ${fixed(row.cpuPerDelivery, 2)} | ${ratio(row, 'cpuPerDelivery')}x |`),
    '',
    '## Connections',
    '',
    '| server | N | accepted per second | server memory per socket |',
    '|--------|---|---------------------|--------------------------|',
    ...rows.filter((row) => row.size === plan.sizes[0]).map((row) => `| ${row.server} | ${row.count} | ${fixed(row.acceptPerSecond, 0)} | ${fixed(row.bytesPerSocket / 1024, 1)} KiB |`),
    '',
    '![POST to last delivery against N](benchmarks-latency.svg)',
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
  ];
  return lines.join('\n');
}

const started = performance.now();
const rows = [];
for (const start of servers) rows.push(...(await measureServer(start)));
const bundle = await measureBundle();
const peers = await measurePeers();
const markdown = report(rows, bundle, peers, (performance.now() - started) / 1000);
const outDir = quick ? tmpdir() : join(root, 'docs');
const reportFile = join(outDir, quick ? 'benchmarks-quick.md' : 'benchmarks.md');
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
