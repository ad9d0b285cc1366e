// Offers to build the native TensorFlow backend when a trainer of this window ran on WASM (or plain JS)
// because tfjs-node is not installed: an information notification, once per window, with "Build Native
// Backend" (runs lrcDistill.setupNativeBackend), "Not Now" and "Don't Ask Again" (kept in globalState).
// When to offer is nativeOfferPolicy.ts; what is built is read from the native home's manifests.
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { readManifest } from '../../trainer/backend/native/nativeHome';
import type { BackendReport } from '../../trainer/protocol';
import { Disposable } from '../util/disposable';
import { wheelCached } from './nativeSetup';
import { buildCost, offerMessage, shouldOffer } from './nativeOfferPolicy';

export const DONT_ASK_KEY = 'lrcDistill.nativeSetup.dontAsk';
export const BUILD_NATIVE = 'Build Native Backend';
const NOT_NOW = 'Not Now';
const DONT_ASK = "Don't Ask Again";

/** An NVIDIA driver is loaded here: the build then asks CPU or GPU. */
export function nvidiaDriverPresent(): boolean {
  return existsSync('/proc/driver/nvidia/version');
}

export class NativeOffer extends Disposable {
  private offered = false;
  private readonly offeredEmitter = this.register(new vscode.EventEmitter<string>());
  /** The messages offered in this window (at most one unless the policy changes). */
  readonly shown: string[] = [];
  readonly onDidOffer = this.offeredEmitter.event;

  constructor(
    private readonly state: vscode.Memento,
    reports: vscode.Event<BackendReport>[],
  ) {
    super();
    for (const onReport of reports) this.register(onReport((report) => this.consider(report)));
  }

  private consider(report: BackendReport): void {
    const built = (['cpu', 'gpu'] as const).filter((v) => readManifest(v) !== undefined);
    const input = { report, built, platform: process.platform, arch: process.arch, offeredInWindow: this.offered, dontAsk: this.state.get<boolean>(DONT_ASK_KEY, false) };
    if (!shouldOffer(input)) return;
    this.offered = true;
    const message = offerMessage(report, buildCost('cpu', wheelCached('cpu')));
    this.shown.push(message);
    this.offeredEmitter.fire(message);
    void vscode.window.showInformationMessage(`LRC Distill: ${message}`, BUILD_NATIVE, NOT_NOW, DONT_ASK).then((choice) => {
      if (choice === BUILD_NATIVE) void vscode.commands.executeCommand('lrcDistill.setupNativeBackend', nvidiaDriverPresent() ? undefined : { gpu: false });
      if (choice === DONT_ASK) void this.state.update(DONT_ASK_KEY, true);
    });
  }
}
