import { readdir, readFile } from 'node:fs/promises';
import type { Logger } from 'pino';

/** The memory in bytes of a process and its descendants; undefined when the process does not run. */
export type MemoryReader = (pid: number) => Promise<number | undefined>;

const readText = (file: string) => readFile(file, 'utf8').catch(() => undefined);

/** The parent of a process, from /proc/<pid>/stat (after the command name, which may hold spaces and ")"). */
async function parentOf(pid: number): Promise<number | undefined> {
  const stat = await readText(`/proc/${pid}/stat`);
  const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields?.[1] === undefined ? undefined : Number(fields[1]);
}

/**
 * A process's proportional share of memory (Pss: pages shared between Chromium's processes counted
 * once across the tree, unlike RSS), or its RSS where the kernel has no smaps_rollup.
 */
async function memoryBytes(pid: number): Promise<number> {
  const rollup = await readText(`/proc/${pid}/smaps_rollup`);
  const pss = rollup ? /^Pss:\s+(\d+)\s+kB/m.exec(rollup)?.[1] : undefined;
  if (pss) return Number(pss) * 1024;
  const status = await readText(`/proc/${pid}/status`);
  const rss = status ? /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] : undefined;
  return rss ? Number(rss) * 1024 : 0;
}

/**
 * Chromium's memory (Linux /proc): the browser process and every process under it (renderers, GPU,
 * utilities), where a long-running WhatsApp Web grows. Undefined when no process `root` runs.
 */
export const browserMemory: MemoryReader = async (root) => {
  const entries = await readdir('/proc').catch(() => undefined);
  if (!entries) throw new Error('/proc cannot be read: the browser memory is measured on Linux only');
  const pids = entries.filter((name) => /^\d+$/.test(name)).map(Number);
  const parents = new Map<number, number | undefined>();
  await Promise.all(pids.map(async (pid) => parents.set(pid, await parentOf(pid))));
  if (!parents.has(root)) return undefined;
  const tree = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, parent] of parents)
      if (parent !== undefined && tree.has(parent) && !tree.has(pid)) {
        tree.add(pid);
        grew = true;
      }
  }
  const sizes = await Promise.all([...tree].map(memoryBytes));
  return sizes.reduce((a, b) => a + b, 0);
};

/** A browser restarted for its memory is not restarted again sooner than this (it would loop). */
export const RESTART_COOLDOWN_MS = 30 * 60_000;

export interface MemoryWatchdogOptions {
  /** The ready browser's pid now, if there is one. */
  pid: () => number | undefined;
  read: MemoryReader;
  maxBytes: number;
  intervalMs: number;
  /** Called when the browser is over the bound; the next check waits until it finished. */
  onExceeded: (bytes: number) => Promise<void>;
  /** Called when the ready browser's process no longer runs (it crashed). */
  onGone: (pid: number) => void;
  logger: Logger;
  now?: () => number;
}

const toMb = (n: number) => Math.round(n / 1_048_576);

/**
 * Checks the browser's memory every `intervalMs` (default a minute): restarts it past the bound (at
 * most once per RESTART_COOLDOWN_MS, and says so loudly when the new one is still over), and
 * reports a browser whose process is gone. Returns a stop.
 */
export function startMemoryWatchdog(options: MemoryWatchdogOptions): () => void {
  const { logger, maxBytes } = options;
  const now = options.now ?? Date.now;
  let busy = false;
  let restartedAt: number | undefined;

  async function measure(): Promise<{ pid: number; bytes: number | undefined } | undefined> {
    const pid = options.pid();
    return pid === undefined ? undefined : { pid, bytes: await options.read(pid) };
  }

  async function restart(bytes: number) {
    logger.warn(
      { mb: toMb(bytes), maxMb: toMb(maxBytes) },
      'whatsapp web browser passed its memory bound; restarting it',
    );
    restartedAt = now();
    await options.onExceeded(bytes);
    const after = await measure();
    if (after?.bytes !== undefined && after.bytes > maxBytes)
      logger.error(
        { mb: toMb(after.bytes), maxMb: toMb(maxBytes) },
        'whatsapp web browser is over its memory bound right after a restart; raise WHATSAPP_WEB_MAX_MEMORY_MB',
      );
  }

  const check = async () => {
    if (busy) return;
    busy = true;
    try {
      const measured = await measure();
      if (!measured) return;
      const { pid, bytes } = measured;
      if (bytes === undefined) options.onGone(pid);
      else if (bytes > maxBytes && (restartedAt === undefined || now() - restartedAt >= RESTART_COOLDOWN_MS))
        await restart(bytes);
    } catch (err) {
      logger.error({ err }, 'checking the whatsapp web browser memory failed');
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void check(), options.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
