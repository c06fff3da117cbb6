// CPU time of a server process (and its children, for wrangler's workerd), from /proc: the
// figure least disturbed by a noisy machine.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

/** Every descendant pid of `pid`, itself included. */
export function processTree(pid) {
  const children = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number));
  const tree = [pid];
  for (let i = 0; i < tree.length; i += 1) {
    for (const [child, parent] of children) if (parent === tree[i]) tree.push(child);
  }
  return tree;
}

/** The pid in `pids` whose command name is `name` (such as "workerd"), else the first. */
export function findProcess(pids, name) {
  for (const pid of pids) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === name) return pid;
    } catch {
      // Gone.
    }
  }
  return pids[0];
}

/** User plus system CPU time of `pid`, in microseconds. */
export function cpuMicros(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks / TICKS_PER_SECOND) * 1e6;
}

/** Resident memory of `pid`, in bytes. */
export function rssBytes(pid) {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : NaN;
}
