// The extension's one trainer process for interactive work: started on demand, reported to the
// views as a TrainerInfo, logged to the output channel, stopped on deactivate.
import * as vscode from 'vscode';
import { HelloRequest, type BackendReport, type HelloResult } from '../../trainer/protocol';
import type { TrainerInfo } from '../../webview/dashboard/protocol';
import { backendSetting } from '../settings';
import { Disposable } from '../util/disposable';
import { TrainerClient } from './trainerClient';

export class TrainerService extends Disposable {
  private readonly client: TrainerClient;
  private readonly changed = this.register(new vscode.EventEmitter<TrainerInfo>());
  private readonly reported = this.register(new vscode.EventEmitter<BackendReport>());
  private ready: Promise<HelloResult> | undefined;
  private current: TrainerInfo = { status: 'not started' };

  readonly onDidChange = this.changed.event;
  /** The backend report of each trainer started (its hello answer). */
  readonly onDidReportBackend = this.reported.event;

  constructor(
    extensionUri: vscode.Uri,
    private readonly output: vscode.LogOutputChannel,
  ) {
    super();
    this.client = new TrainerClient({
      script: vscode.Uri.joinPath(extensionUri, 'dist', 'trainer.js').fsPath,
      cwd: extensionUri.fsPath,
      log: (line) => output.info(`[trainer] ${line}`),
    });
    this.client.onEvent((e) => output.info(`[trainer event] ${e.event} ${JSON.stringify(e.data)}`));
    this.client.onExit(({ code, signal }) => {
      this.ready = undefined;
      this.update({ status: 'not started', detail: `last trainer exited with ${signal ?? `code ${code}`}` });
    });
  }

  get info(): TrainerInfo {
    return this.current;
  }

  get pid(): number | undefined {
    return this.client.pid;
  }

  /** Starts the trainer if needed and resolves with its hello answer. */
  ensureReady(): Promise<HelloResult> {
    if (!vscode.workspace.isTrusted) {
      return Promise.reject(new Error('LRC Distill runs its trainer only in a trusted workspace: it executes code and reads the files of this folder. Trust the workspace to start it.'));
    }
    if (!this.ready) {
      this.update({ status: 'starting' });
      const backend = backendSetting();
      this.client.start();
      this.ready = this.client
        .request(HelloRequest, backend === 'auto' ? {} : { backend }, 120_000)
        .then((hello) => {
          const rejected = hello.backend.rejected.map((r) => `${r.name}: ${r.reason}`).join('; ');
          this.output.info(`trainer ready: pid ${hello.pid}, backend ${hello.backend.backend} (${hello.backend.package}) on ${hello.backend.device}${rejected ? `; not used: ${rejected}` : ''}`);
          this.update({ status: 'ready', backend: hello.backend.backend, device: hello.backend.device, detail: rejected ? `Not used: ${rejected}` : undefined });
          this.reported.fire(hello.backend);
          return hello;
        })
        .catch((e: Error) => {
          this.ready = undefined;
          this.output.error(`trainer failed to start: ${e.message}`);
          this.update({ status: 'failed', detail: e.message });
          throw e;
        });
    }
    return this.ready;
  }

  /** Stops the trainer cleanly, killing it if it does not exit in time. */
  stop(): Promise<void> {
    return this.client.stop();
  }

  /** Stops the trainer and starts a new one (which chooses its backend again); resolves with its hello. */
  async restart(): Promise<HelloResult> {
    await this.stop();
    this.ready = undefined;
    return this.ensureReady();
  }

  override dispose(): void {
    this.client.dispose();
    super.dispose();
  }

  private update(info: TrainerInfo): void {
    this.current = info;
    this.changed.fire(info);
  }
}
