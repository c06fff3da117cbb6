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

/**
 * The pids in `pids` whose command name is `name`. wrangler dev runs two workerd processes
 * (the Worker, and the dev proxy every connection passes through); together they are the
 * runtime's cost.
 */
export function findProcesses(pids, name) {
  return pids.filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === name;
    } catch {
      return false;
    }
  });
}

/** User plus system CPU time of the processes `pids`, in microseconds. */
export function cpuMicros(pids) {
  let ticks = 0;
  for (const pid of pids) {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks / TICKS_PER_SECOND) * 1e6;
}

/** Resident memory of the processes `pids`, in bytes. */
export function rssBytes(pids) {
  let bytes = 0;
  for (const pid of pids) {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    bytes += match ? Number(match[1]) * 1024 : NaN;
  }
  return bytes;
}
