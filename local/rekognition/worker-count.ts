// How many labelling workers a machine takes when nobody says: one per core, as far as memory allows. Each worker
// holds its own copy of the models (about 270 MB resident with the scene models), and the rest of the local cloud
// needs memory too, so at most half of the memory available is given to workers.
import { availableParallelism, freemem } from 'node:os';

/** Resident memory of one worker with every model loaded (bench/results/labeller.json: 268–272 MB), rounded up. */
export const WORKER_MEMORY_BYTES = 300 * 1024 * 1024;

/** The share of available memory the workers may take. */
const MEMORY_SHARE = 0.5;

export interface MachineResources {
  cores: number;
  /** Memory the process may still use (cgroup limits included). */
  availableMemoryBytes: number;
}

export function workerCountFor(machine: MachineResources): number {
  const byMemory = Math.floor((machine.availableMemoryBytes * MEMORY_SHARE) / WORKER_MEMORY_BYTES);
  return Math.max(1, Math.min(machine.cores, byMemory));
}

/** This machine's resources: process.availableMemory() knows cgroup limits where os.freemem() does not. */
export function thisMachine(): MachineResources {
  const available = (process as { availableMemory?: () => number }).availableMemory?.() ?? freemem();
  return { cores: availableParallelism(), availableMemoryBytes: available };
}

export function defaultWorkerCount(): number {
  return workerCountFor(thisMachine());
}
