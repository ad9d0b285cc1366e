// The layout of one run folder.
import { join } from 'node:path';

export interface RunPaths {
  dir: string;
  record: string;
  metrics: string;
  checkpoints: string;
  analysis: string;
  export: string;
  log: string;
}

export function runPaths(dir: string): RunPaths {
  return {
    dir,
    record: join(dir, 'run.json'),
    metrics: join(dir, 'metrics.jsonl'),
    checkpoints: join(dir, 'checkpoints'),
    analysis: join(dir, 'analysis'),
    export: join(dir, 'export'),
    log: join(dir, 'trainer.log'),
  };
}
