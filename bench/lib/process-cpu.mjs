// CPU time and memory of the server processes, from /proc: the figures least disturbed by a
// noisy machine.
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

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
