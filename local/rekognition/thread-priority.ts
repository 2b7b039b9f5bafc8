// Labelling is batch work beside an interactive API on the same cores: its threads run at a lower priority, so
// that the GraphQL and WebSocket event loop gets a core when it needs one however busy the labeller is. Linux
// keeps the nice value per thread; /proc/thread-self names the calling thread's id. Elsewhere nothing changes.
import { readFileSync, readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** Niceness of the labelling threads (0 normal, 19 lowest): the scheduler gives a nice-10 thread about a tenth of a normal one's share. */
export const LABELLER_NICENESS = 10;

/** Lowers the priority of the calling thread (and of the threads it starts later); false where that cannot be done. */
export function lowerThisThreadPriority(niceness = LABELLER_NICENESS): boolean {
  let threadId: number;
  try {
    threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
  } catch {
    return false;
  }
  if (!Number.isInteger(threadId) || threadId <= 0) return false;
  try {
    setPriority(threadId, niceness);
    return true;
  } catch {
    return false;
  }
}

/** The nice value of a thread of this process (Linux), or null where it cannot be read. */
export function threadNiceness(threadId: number): number | null {
  try {
    // Field 19 of /proc/<pid>/task/<tid>/stat, counted after the command name (which may hold spaces).
    const stat = readFileSync(`/proc/${process.pid}/task/${threadId}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  } catch {
    return null;
  }
}
