// Is the process that owns a live run still there? A run whose owner vanished is crashed.
import { hostname } from 'node:os';
import type { RunRecord } from './runRecord';

/** A heartbeat older than this means the owner is gone even if its pid was reused. */
export const STALE_HEARTBEAT_MS = 10 * 60_000;

export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when the run's owner is known to be gone (same machine and no such process, or a stale heartbeat). */
export function ownerIsGone(record: RunRecord, now = Date.now()): boolean {
  const owner = record.owner;
  if (!owner) return true;
  if (owner.hostname === hostname() && !processExists(owner.pid)) return true;
  return now - Date.parse(owner.heartbeatAt) > STALE_HEARTBEAT_MS;
}
