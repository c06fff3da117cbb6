// `npm start`: installs what is missing, builds the Worker and the SDK, and serves both (the
// Worker on workerd through `wrangler dev --local`, the demo page as its static assets) on
// http://127.0.0.1:8787, offline.
import { join } from 'node:path';
import { spawn } from 'node:child_process';

import { setup } from './setup.mjs';
import { BUILD_FRESH_VAR, buildClient, buildWorker } from './build.mjs';
import { devVars } from './lib/dev-vars.mjs';
import { nodeBin, toolEnv, workerDir } from './lib/paths.mjs';

const PORT = process.env.PORT ?? '8787';

await setup();
await buildWorker({ dev: true });
await buildClient();

devVars();

const args = [
  'dev', '--local', '--ip', '127.0.0.1', '--port', PORT, '--show-interactive-dev-session=false',
];
const wrangler = spawn(join(nodeBin, 'wrangler'), args, {
  cwd: workerDir,
  env: toolEnv({ [BUILD_FRESH_VAR]: '1' }),
  stdio: ['ignore', 'inherit', 'inherit'],
});
console.log(`\n[start] demo and Worker: http://127.0.0.1:${PORT}  (Ctrl+C to stop)`);
console.log(
  `[start] broadcast: curl -X POST http://127.0.0.1:${PORT}/broadcast ` +
    `-H 'Authorization: Bearer dev-broadcast-secret' ` +
    `-d '{"channels":["announcements"],"event":"announcement","data":{"text":"hello"}}'\n`,
);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => wrangler.kill(signal));
}
wrangler.on('exit', (code) => process.exit(code ?? 0));
