// The status bar item of the active run: stage, step of total, last loss; a click opens its dashboard.
// The active run is a live run this window trains (the last started), else a live run of another
// process, else the last run shown while it was live.
import * as vscode from 'vscode';
import { ProgressEvent } from '../trainer/protocol';
import { runPaths } from '../trainer/runs/runFolder';
import type { RunRecord } from '../trainer/runs/runRecord';
import { lastProgress } from './runs/metricsTail';
import { isLive, type RunManager } from './trainer/runManager';
import { Disposable } from './util/disposable';

const ICONS: Record<string, string> = { running: 'sync~spin', paused: 'debug-pause', finished: 'pass', stopped: 'debug-stop', failed: 'error', crashed: 'warning', queued: 'clock' };

export class RunStatusBar extends Disposable {
  private readonly item = this.register(vscode.window.createStatusBarItem('lrcDistill.activeRun', vscode.StatusBarAlignment.Left, 20));
  private shown: string | undefined;
  private pending: NodeJS.Timeout | undefined;

  constructor(private readonly manager: RunManager) {
    super();
    this.item.name = 'LRC Distill: active run';
    this.register(manager.onDidEvent((e) => (ProgressEvent.is(e.message) ? this.updateSoon() : undefined)));
    this.register(manager.onDidChangeRun(() => this.updateSoon()));
    this.register({ dispose: () => this.pending && clearTimeout(this.pending) });
    this.update();
  }

  /** The run the item shows, if any. */
  get runId(): string | undefined {
    return this.shown;
  }

  get text(): string {
    return this.item.text;
  }

  private activeRun(): string | undefined {
    const owned = this.manager.ownedRunIds;
    const last = this.manager.lastStartedRunId;
    if (last && owned.includes(last)) return last;
    if (owned.length) return owned[owned.length - 1];
    const live = this.manager.snapshot.find(isLive);
    return live?.id ?? this.shown;
  }

  private updateSoon(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.update();
    }, 250);
  }

  update(): void {
    const id = this.activeRun();
    let record: RunRecord | undefined;
    try {
      record = id ? this.manager.read(id) : undefined;
    } catch {
      record = undefined;
    }
    if (!record) {
      this.shown = undefined;
      this.item.hide();
      return;
    }
    this.shown = record.id;
    const p = this.manager.lastProgressOf(record.id);
    const fromFile = p ? undefined : lastProgress(runPaths(this.manager.runDir(record.id)).metrics);
    const step = Math.max(record.progress.step, p?.step ?? 0);
    const total = p?.totalSteps ?? record.progress.totalSteps;
    const stage = p?.stage ?? record.progress.stage;
    const loss = p?.clean.total ?? (fromFile?.clean as { total?: number } | undefined)?.total;
    const distils = record.kind === 'lrc' || record.kind === 'mse';
    const parts = [`${distils ? `stage ${stage} · ` : ''}${step}/${total || '?'}`];
    if (loss !== undefined) parts.push(`loss ${loss.toPrecision(4)}`);
    this.item.text = `$(${ICONS[record.status] ?? 'circle'}) LRC ${record.kind}: ${parts.join(' · ')}`;
    this.item.tooltip = new vscode.MarkdownString(
      [`**${record.name}** (${record.kind}, ${record.status})`, `\`${record.id}\``, record.best ? `best ${record.best.metric} ${record.best.value.toFixed(4)} at step ${record.best.step}` : '', 'Click to open its dashboard.']
        .filter(Boolean)
        .join('\n\n'),
    );
    this.item.command = { command: 'lrcDistill.openDashboard', title: 'Open Dashboard', arguments: [{ runId: record.id }] };
    this.item.backgroundColor = record.status === 'crashed' || record.status === 'failed' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.show();
  }
}
