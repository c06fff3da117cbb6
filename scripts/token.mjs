// `npm run token -- --user ada --channels 'presence-room.*' --info '{"name":"Ada"}'`: mints a
// development channel token with the secret `wrangler dev` uses (worker/.dev.vars).
import { run } from './lib/process.mjs';
import { root, toolEnv } from './lib/paths.mjs';
import { devVars } from './lib/dev-vars.mjs';

const secret = devVars().BROADCAST_JWT_SECRET;
await run('cargo', ['run', '--quiet', '--release', '-p', 'broadcast-auth', '--bin', 'broadcast-token', '--', ...process.argv.slice(2)], {
  cwd: root,
  env: toolEnv({ BROADCAST_JWT_SECRET: secret }),
});
