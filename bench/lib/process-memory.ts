import { readdirSync, readFileSync } from 'node:fs';

export interface GroupMemory {
  /** Resident set size of every process in the group together, in bytes. */
  rss: number;
  /** Their commands, e.g. `node` twice and `esbuild` for an app run by tsx. */
  processes: string[];
}

/**
 * The memory of a process group (Linux /proc): testkit starts each app as the leader of its own group, so the group
 * is what running it costs: node alone for a build, or tsx's node parent, the app's node and tsx's esbuild service.
 */
export function groupMemory(pgid: number): GroupMemory {
  let rss = 0;
  const processes: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces) start after the last ')': state, ppid, pgrp, …
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) !== pgid) continue;
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      const kib = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1] ?? 0);
      rss += kib * 1024;
      processes.push(stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')));
    } catch {
      // gone meanwhile
    }
  }
  return { rss, processes: processes.sort() };
}

/** Samples a group's memory every `everyMs` until stopped; answers the samples' RSS in bytes. */
export function sampleGroupMemory(pgid: number, everyMs: number): { stop(): number[] } {
  const samples: number[] = [];
  const take = () => {
    const { rss } = groupMemory(pgid);
    if (rss > 0) samples.push(rss);
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return samples;
    },
  };
}

/** Bytes in MiB, as printed in the figures. */
export const mib = (bytes: number): string => (bytes / 1024 / 1024).toFixed(0);
