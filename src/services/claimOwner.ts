import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/** One tag per process: tells this process from an earlier one that had the same pid (a restarted container). */
const PROCESS_TAG = randomUUID().slice(0, 8);

/**
 * A claim owner's name: `<what>@<host>:<pid>:<process tag>:<instance>`. It says which process holds a
 * claim, so a restarted wgbot can tell a claim left by a dead process (taken over at once) from one a
 * live process holds (waited out).
 */
export function claimOwner(what: string): string {
  return `${what}@${hostname()}:${process.pid}:${PROCESS_TAG}:${randomUUID().slice(0, 8)}`;
}

/**
 * Whether the process behind a claim is known to be gone: on this host, its pid is not running, or it is
 * this very pid under another tag (the process before a restart). A claim from another host, or in a
 * form it cannot read, is never called gone: it is waited out until it lapses.
 */
export function claimOwnerGone(owner: string): boolean {
  const match = /@(.+):(\d+):([0-9a-f]{8}):[0-9a-f]{8}$/.exec(owner);
  if (!match || match[1] !== hostname()) return false;
  const pid = Number(match[2]);
  if (pid === process.pid) return match[3] !== PROCESS_TAG;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // EPERM: a process we may not signal is alive; only ESRCH says there is none.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
