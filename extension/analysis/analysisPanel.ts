// What the three analysis panels (heatmap, cases, selection) share on the host side: the webview page,
// typed posting with a record of what was posted, the page's ready message, and the test probe.
import * as vscode from 'vscode';
import { ReadyNotification, type IpcMessage } from '../../webview/shared/protocol';
import type { ProbeAction, ProbeResult, probeMessages } from '../../webview/cases/protocol';
import { Disposable } from '../util/disposable';
import { renderWebviewHtml, webviewOptions } from '../panels/webviewHtml';
import type { AnalysisWatcher } from './analysisWatcher';

export interface AnalysisDeps {
  extensionUri: vscode.Uri;
  output: vscode.LogOutputChannel;
  watcher: AnalysisWatcher;
}

export interface PanelPage {
  bundle: string;
  rootId: string;
  /** data-* attributes of the root element (the run id). */
  state?: Record<string, string | undefined>;
}

export abstract class AnalysisPanel extends Disposable {
  /** The messages posted to the page, newest last (for the tests). */
  readonly posted: IpcMessage[] = [];
  private readonly probes = new Map<number, (result: ProbeResult) => void>();
  private nextProbeId = 1;
  protected ready = false;
  /** Where the next "save" goes without asking (set by the test probe). */
  nextSavePath: string | undefined;

  protected constructor(
    protected readonly panel: vscode.WebviewPanel,
    protected readonly deps: AnalysisDeps,
    page: PanelPage,
    private readonly probe: ReturnType<typeof probeMessages>,
  ) {
    super();
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'lrc.svg');
    panel.webview.options = webviewOptions(deps.extensionUri);
    panel.webview.html = renderWebviewHtml({
      webview: panel.webview,
      extensionUri: deps.extensionUri,
      bundle: page.bundle,
      title: panel.title,
      rootId: page.rootId,
      styles: ['media/analysis.css'],
      state: page.state,
    });
    this.register(panel.onDidDispose(() => this.dispose()));
    // a hidden page is unloaded (no retainContextWhenHidden): it says ready again when shown
    this.register(panel.onDidChangeViewState((e) => {
      if (!e.webviewPanel.visible) this.ready = false;
    }));
    this.register(panel.webview.onDidReceiveMessage((msg) => this.receiveAny(msg)));
  }

  override dispose(): void {
    for (const resolve of this.probes.values()) resolve({ id: 0, ok: false, error: 'the panel was closed', text: '', snapshot: {} });
    this.probes.clear();
    super.dispose();
    this.panel.dispose();
  }

  reveal(column?: vscode.ViewColumn, preserveFocus = false): void {
    this.panel.reveal(column, preserveFocus);
  }

  get title(): string {
    return this.panel.title;
  }

  get active(): boolean {
    return this.panel.active;
  }

  /** Acts on the page and reads what it shows (the vscode-tier tests). */
  runProbe(actions: ProbeAction[], timeoutMs = 30_000): Promise<ProbeResult> {
    const id = this.nextProbeId++;
    return new Promise<ProbeResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.probes.delete(id);
        reject(new Error(`the ${this.panel.viewType} page did not answer a probe within ${timeoutMs} ms (ready: ${this.ready})`));
      }, timeoutMs);
      this.probes.set(id, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
      void this.panel.webview.postMessage(this.probe.request.create({ id, actions }));
    });
  }

  /** True once the page has said it is ready. */
  get isReady(): boolean {
    return this.ready;
  }

  protected post(msg: IpcMessage): void {
    this.posted.push(msg);
    if (this.posted.length > 200) this.posted.splice(0, this.posted.length - 200);
    void this.panel.webview.postMessage(msg);
  }

  /** The page's messages other than ready and probe answers. */
  protected abstract receive(msg: unknown): void;

  /** The page has loaded (first time, or again after it was hidden and shown). */
  protected abstract onReady(): void;

  private receiveAny(msg: unknown): void {
    if (ReadyNotification.is(msg)) {
      this.ready = true;
      this.onReady();
    } else if (this.probe.result.is(msg)) {
      const resolve = this.probes.get(msg.params.id);
      this.probes.delete(msg.params.id);
      resolve?.(msg.params);
    } else this.receive(msg);
  }

  protected warnIgnored(msg: unknown): void {
    this.deps.output.warn(`${this.panel.viewType}: ignored a message that fits no declared type: ${JSON.stringify(msg).slice(0, 200)}`);
  }
}
