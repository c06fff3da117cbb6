// The browser clients users would otherwise pick, bundled the same way as ours: an entry that
// constructs one client, bundled and minified with esbuild, gzip -9.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

import { root } from '../../scripts/lib/paths.mjs';

/** Each peer: the npm packages it needs and the entry an application would write. */
export const PEERS = [
  {
    name: 'partysocket',
    packages: ['partysocket'],
    entry: `import PartySocket from 'partysocket'; new PartySocket({ host: 'localhost', room: 'news' }).addEventListener('message', console.log);`,
  },
  {
    name: 'phoenix',
    packages: ['phoenix'],
    entry: `import { Socket } from 'phoenix'; const s = new Socket('/socket'); s.connect(); s.channel('room:news').join();`,
  },
  {
    name: 'socket.io-client',
    packages: ['socket.io-client'],
    entry: `import { io } from 'socket.io-client'; io('/').on('news', console.log);`,
  },
  {
    name: 'pusher-js',
    packages: ['pusher-js'],
    entry: `import Pusher from 'pusher-js'; new Pusher('key', { cluster: 'eu' }).subscribe('news').bind('headline', console.log);`,
  },
  {
    name: 'laravel-echo + pusher-js',
    packages: ['laravel-echo', 'pusher-js'],
    entry: `import Echo from 'laravel-echo'; import Pusher from 'pusher-js'; window.Pusher = Pusher; new Echo({ broadcaster: 'pusher', key: 'key', cluster: 'eu' }).channel('news').listen('.headline', console.log);`,
  },
  {
    name: 'centrifuge',
    packages: ['centrifuge'],
    entry: `import { Centrifuge } from 'centrifuge'; const c = new Centrifuge('ws://localhost/connection/websocket'); c.newSubscription('news').subscribe(); c.connect();`,
  },
];

/** The installed version of the npm package `name`. */
export function packageVersion(name) {
  return JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
}

/** `{ name, versions, bytes }` for each peer, gzip -9 of the minified bundle. */
export async function measurePeers() {
  const results = [];
  for (const peer of PEERS) {
    const bundle = await build({
      stdin: { contents: peer.entry, resolveDir: root, loader: 'js' },
      bundle: true,
      minify: true,
      format: 'esm',
      target: 'es2022',
      platform: 'browser',
      write: false,
      logLevel: 'silent',
    });
    results.push({
      name: peer.name,
      versions: peer.packages.map((name) => `${name} ${packageVersion(name)}`).join(', '),
      bytes: gzipSync(bundle.outputFiles[0].contents, { level: 9 }).length,
    });
  }
  return results;
}
