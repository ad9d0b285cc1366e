// Context keys for the `when` clauses of package.json: which commands make sense with the runs there are.
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RunRecord } from '../trainer/runs/runRecord';
import { isLive, type RunManager } from './trainer/runManager';
import type { SweepService } from './sweeps/sweepService';
import { Disposable } from './util/disposable';

export const CONTEXT_KEYS = {
  hasRuns: (rs: readonly RunRecord[]) => rs.length > 0,
  hasLiveRuns: (rs: readonly RunRecord[]) => rs.some(isLive),
  hasRunningRuns: (rs: readonly RunRecord[]) => rs.some((r) => r.status === 'running'),
  hasStageOneRuns: (rs: readonly RunRecord[]) => rs.some((r) => isLive(r) && (r.kind === 'lrc' || r.kind === 'mse') && r.progress.stage < 2),
  hasResumableRuns: (rs: readonly RunRecord[]) => rs.some((r) => ['queued', 'stopped', 'crashed', 'failed', 'paused'].includes(r.status)),
  hasPairedRuns: (rs: readonly RunRecord[]) => rs.some((r) => !!r.pairedRunId),
} as const;

export class RunContextKeys extends Disposable {
  private last = '';

  constructor(
    private readonly manager: RunManager,
    private readonly runsDir: () => string | undefined,
  ) {
    super();
    this.register(manager.onDidChangeRun(() => this.update()));
    this.update();
  }

  update(): void {
    const runs = this.manager.snapshot;
    const dir = this.runsDir();
    const values: Record<string, boolean> = Object.fromEntries(Object.entries(CONTEXT_KEYS).map(([k, f]) => [k, f(runs)]));
    const withModel = (r: RunRecord) => !!dir && (existsSync(join(dir, r.id, 'export', 'config.json')) || existsSync(join(dir, r.id, 'checkpoints', 'best', 'config.json')));
    values.hasModels = runs.some(withModel);
    values.hasDistilledModels = runs.some((r) => (r.kind === 'lrc' || r.kind === 'mse') && withModel(r));
    const key = JSON.stringify(values);
    if (key === this.last) return;
    this.last = key;
    for (const [k, v] of Object.entries(values)) void vscode.commands.executeCommand('setContext', `lrcDistill.${k}`, v);
  }
}

/** lrcDistill.hasSweeps, hasLiveSweeps (Cancel Sweep), hasResumableSweeps (Resume Sweep). */
export class SweepContextKeys extends Disposable {
  private last = '';

  constructor(private readonly sweeps: SweepService) {
    super();
    this.register(sweeps.onDidChange(() => this.update()));
    this.update();
  }

  update(): void {
    const states = this.sweeps.states();
    const values: Record<string, boolean> = {
      hasSweeps: states.length > 0,
      hasLiveSweeps: states.some((s) => s.live),
      hasResumableSweeps: states.some((s) => !s.live && !s.done),
    };
    const key = JSON.stringify(values);
    if (key === this.last) return;
    this.last = key;
    for (const [k, v] of Object.entries(values)) void vscode.commands.executeCommand('setContext', `lrcDistill.${k}`, v);
  }
}
