// The trainer process of the analysis views: started on the first "Analyze Selection" or "Compute
// Analysis Now", kept for the next one (it keeps the three models of the last run loaded), killed on
// dispose and when the user cancels a long paired analysis. It runs in the workspace folder, where
// the run configs' relative data paths start.
import * as vscode from 'vscode';
import { AnalyzeTextRequest, HelloRequest, PairedAnalysisRequest } from '../../trainer/protocol';
import { backendSetting, workspaceFolder } from '../settings';
import { TrainerClient } from '../trainer/trainerClient';

const TEXT_TIMEOUT_MS = 10 * 60_000;
const PAIRED_TIMEOUT_MS = 6 * 60 * 60_000;

export class AnalysisTrainer implements vscode.Disposable {
  private client: TrainerClient | undefined;
  private ready: Promise<void> | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  get pid(): number | undefined {
    return this.client?.pid;
  }

  private ensure(): Promise<TrainerClient> {
    if (!vscode.workspace.isTrusted) {
      return Promise.reject(new Error('LRC Distill runs its trainer only in a trusted workspace: it executes code and reads the files of this folder. Trust the workspace first.'));
    }
    if (!this.client) {
      const client = new TrainerClient({
        script: vscode.Uri.joinPath(this.extensionUri, 'dist', 'trainer.js').fsPath,
        cwd: workspaceFolder() ?? this.extensionUri.fsPath,
        log: (line) => this.output.info(`[analysis trainer] ${line}`),
        requestTimeoutMs: TEXT_TIMEOUT_MS,
      });
      client.onExit(() => {
        if (this.client === client) {
          this.client = undefined;
          this.ready = undefined;
        }
      });
      this.client = client;
    }
    const client = this.client;
    if (!this.ready) {
      const backend = backendSetting();
      this.ready = client.request(HelloRequest, backend === 'auto' ? {} : { backend }, 120_000).then((hello) => {
        this.output.info(`analysis trainer ready: pid ${hello.pid}, backend ${hello.backend.backend}`);
      });
      this.ready.catch(() => {
        this.ready = undefined;
      });
    }
    return this.ready.then(() => client);
  }

  /** One text (or pair) through the teacher, the LRC student and its baseline. */
  async analyzeText(runDir: string, text: string, textPair?: string) {
    const client = await this.ensure();
    return client.request(AnalyzeTextRequest, { runDir, text, ...(textPair !== undefined ? { textPair } : {}) }, TEXT_TIMEOUT_MS);
  }

  /** The paired analysis of a finished LRC run and its baseline; the path of the file written. */
  async pairedAnalysis(lrcRunDir: string, mseRunDir: string): Promise<string> {
    const client = await this.ensure();
    const { file } = await client.request(PairedAnalysisRequest, { lrcRunDir, mseRunDir }, PAIRED_TIMEOUT_MS);
    return file;
  }

  /** Stops the work in progress (the process is started again on the next request). */
  cancel(): void {
    this.client?.kill();
  }

  dispose(): void {
    this.client?.dispose();
    this.client = undefined;
    this.ready = undefined;
  }
}

