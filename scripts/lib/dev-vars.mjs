// worker/.dev.vars: the development secrets `wrangler dev` reads. Created from
// .dev.vars.example when missing; a key the example gained since is appended, so an older
// checkout keeps working after an update.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { workerDir } from './paths.mjs';

const devVarsPath = join(workerDir, '.dev.vars');
const examplePath = join(workerDir, '.dev.vars.example');

function parse(text) {
  const vars = {};
  for (const line of text.split('\n')) {
    const match = /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (match) vars[match[1]] = match[2];
  }
  return vars;
}

/** Makes sure worker/.dev.vars has every key of the example; returns its variables. */
export function devVars() {
  const example = readFileSync(examplePath, 'utf8');
  if (!existsSync(devVarsPath)) {
    writeFileSync(devVarsPath, example);
    console.log('[dev-vars] created worker/.dev.vars with the development secrets');
  }
  const current = parse(readFileSync(devVarsPath, 'utf8'));
  for (const [key, value] of Object.entries(parse(example))) {
    if (!(key in current)) {
      appendFileSync(devVarsPath, `\n${key}=${value}\n`);
      current[key] = value;
      console.log(`[dev-vars] added ${key} to worker/.dev.vars`);
    }
  }
  return current;
}
