// One Worker on the bare `workerd` binary (the one wrangler 4.86 ships), from a generated capnp
// config: the load client talks straight to the process running the Worker, with no dev proxy
// (wrangler dev's second workerd and its Node server) and no Miniflare entry worker in between.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';

import { root } from '../../scripts/lib/paths.mjs';

const WORKERD = join(root, 'node_modules', 'workerd', 'bin', 'workerd');
const READY_TIMEOUT_MS = 30_000;

/**
 * The compatibility date and flags of the wrangler.toml in `directory`, so that the bench runs
 * each Worker on the runtime its own configuration names.
 */
export function compatibility(directory) {
  const toml = readFileSync(join(directory, 'wrangler.toml'), 'utf8');
  const date = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(toml)?.[1];
  if (!date) throw new Error(`${directory}/wrangler.toml names no compatibility_date`);
  const flags = /^compatibility_flags\s*=\s*\[([^\]]*)\]/m.exec(toml)?.[1] ?? '';
  return { date, flags: [...flags.matchAll(/"([^"]+)"/g)].map((match) => match[1]) };
}

/** A capnp text literal; the values here are names, paths and hex secrets. */
function text(value) {
  if (/[\x00-\x1f"\\]/.test(value)) throw new Error(`not a plain capnp string: ${JSON.stringify(value)}`);
  return `"${value}"`;
}

/**
 * Starts workerd serving one Worker on an ephemeral loopback port. `modules` are
 * `{ name, type: 'esModule' | 'wasm', path }` or `{ name, type, contents }`, the first being the
 * main module (they are copied into the state directory first, so a rebuild during the run
 * changes nothing); `vars` become text bindings; each of `durableObjects`
 * (`{ binding, className }`) gets a SQLite-backed namespace stored on local disk, evicted when
 * idle as in `wrangler dev`.
 * @returns {Promise<Workerd>}
 */
export async function startWorkerd({ modules, vars = {}, durableObjects = [], compatibilityDate, compatibilityFlags = [] }) {
  const stateDir = mkdtempSync(join(tmpdir(), 'bench-workerd-'));
  try {
    for (const module of modules) {
      const target = join(stateDir, 'modules', module.name);
      mkdirSync(dirname(target), { recursive: true });
      if (module.contents !== undefined) writeFileSync(target, module.contents);
      else copyFileSync(module.path, target);
    }
    mkdirSync(join(stateDir, 'storage'));
    const config = [
      'using Workerd = import "/workerd/workerd.capnp";',
      'const config :Workerd.Config = (',
      '  services = [',
      '    (name = "main", worker = .worker),',
      '    (name = "storage", disk = (path = "storage", writable = true)),',
      '  ],',
      '  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "main")],',
      ');',
      'const worker :Workerd.Worker = (',
      '  modules = [',
      ...modules.map((m) => `    (name = ${text(m.name)}, ${m.type} = embed ${text(`modules/${m.name}`)}),`),
      '  ],',
      `  compatibilityDate = ${text(compatibilityDate)},`,
      `  compatibilityFlags = [${compatibilityFlags.map(text).join(', ')}],`,
      '  bindings = [',
      ...Object.entries(vars).map(([name, value]) => `    (name = ${text(name)}, text = ${text(value)}),`),
      ...durableObjects.map((d) => `    (name = ${text(d.binding)}, durableObjectNamespace = ${text(d.className)}),`),
      '  ],',
      '  durableObjectNamespaces = [',
      ...durableObjects.map((d) => `    (className = ${text(d.className)}, uniqueKey = ${text(`bench-${d.className}`)}, enableSql = true),`),
      '  ],',
      '  durableObjectStorage = (localDisk = "storage"),',
      ');',
      '',
    ].join('\n');
    writeFileSync(join(stateDir, 'config.capnp'), config);
    const server = new Workerd(stateDir);
    await server.start();
    return server;
  } catch (err) {
    rmSync(stateDir, { recursive: true, force: true });
    throw err;
  }
}

export class Workerd {
  #child = null;
  #exited = null;
  #output = [];

  constructor(stateDir) {
    this.stateDir = stateDir;
    this.port = null;
    this.url = null;
  }

  /** The pid of workerd: the one process serving the Worker and its Durable Objects. */
  get pid() {
    return this.#child?.pid;
  }

  /** Everything workerd printed so far (console output of the Worker included). */
  output() {
    return this.#output.join('');
  }

  async start() {
    // `--experimental` for `localDisk` storage; fd 3 carries workerd's "listen" messages, which
    // say the port and that the socket accepts. (`--verbose` would also log every socket the
    // load client drops, with a stack.)
    // BENCH_INSPECTOR=host:port opens the V8 inspector, for a CPU profile (bench/profile.mjs).
    const inspector = process.env.BENCH_INSPECTOR ? [`--inspector-addr=${process.env.BENCH_INSPECTOR}`] : [];
    const child = spawn(WORKERD, ['serve', '--experimental', '--control-fd=3', ...inspector, 'config.capnp'], {
      cwd: this.stateDir,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      detached: true,
    });
    this.#child = child;
    this.#exited = new Promise((resolve) => child.once('exit', resolve));
    const record = (chunk) => this.#output.push(chunk.toString());
    child.stdout.on('data', record);
    child.stderr.on('data', record);
    try {
      this.port = await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`not listening within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
        createInterface({ input: child.stdio[3] }).on('line', (line) => {
          const message = JSON.parse(line);
          if (message.event !== 'listen' || message.socket !== 'http') return;
          clearTimeout(timer);
          resolve(message.port);
        });
        child.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`workerd exited with ${code}`));
        });
      });
    } catch (err) {
      await this.dispose();
      throw new Error(`workerd did not start: ${err.message}\n${this.output()}`);
    }
    this.url = `http://127.0.0.1:${this.port}`;
  }

  /** Kills workerd and removes its state directory. */
  async dispose() {
    const child = this.#child;
    if (child && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
      await this.#exited;
    }
    this.#child = null;
    rmSync(this.stateDir, { recursive: true, force: true });
  }
}
