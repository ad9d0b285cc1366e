// When the extension offers to build the native TensorFlow backend, and what the offer says. Pure: the
// caller passes the trainer's backend report, what `lrc-distill setup-native` has built (the manifests
// of the native home, read with the trainer's own module) and what the user already answered.
// The offer is made when a trainer ran on another backend because tfjs-node is *not installed* (the
// report's rejected entry that requireNative writes, which names setup-native), on the one platform
// setup-native builds for, with nothing built yet, once per window, and never after "Don't Ask Again".
// A build that exists but does not load is not offered again: its load error is in the report.
import type { BackendReport } from '../../trainer/protocol';

export const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

export interface OfferInput {
  report: BackendReport;
  /** Variants with a finished build in the native home (their manifest exists). */
  built: readonly ('cpu' | 'gpu')[];
  platform: string;
  arch: string;
  /** An offer was already shown in this window. */
  offeredInWindow: boolean;
  /** The user chose "Don't Ask Again". */
  dontAsk: boolean;
}

/** The rejected entry saying the CPU binding (else the GPU one) is not installed, if the report has one. */
export function notInstalledRejection(report: BackendReport): { name: string; reason: string } | undefined {
  const missing = report.rejected.filter((r) => (NATIVE_PACKAGES as readonly string[]).includes(r.name) && /^not installed\b/.test(r.reason));
  return missing.find((r) => r.name === '@tensorflow/tfjs-node') ?? missing[0];
}

export function shouldOffer(input: OfferInput): boolean {
  if (input.dontAsk || input.offeredInWindow) return false;
  if (input.platform !== 'linux' || input.arch !== 'x64') return false;
  if (input.report.backend === 'tensorflow' || input.built.length > 0) return false;
  return notInstalledRejection(input.report) !== undefined;
}

/** What a build costs: the download (none when the wheels are in the native home's cache) and the time. */
export function buildCost(variant: 'cpu' | 'gpu', wheelCached: boolean): string {
  // measured (docs/native.md, docs/gpu.md): CPU 29 s with the wheel at hand; GPU 147 s cached, 198 s with 2.4 GB of wheels
  if (variant === 'gpu') return wheelCached ? 'about 3 minutes, the TensorFlow wheel is already downloaded' : 'about 3-4 minutes, downloads ~2.4 GB of TensorFlow and CUDA 12 wheels from PyPI';
  return wheelCached ? 'about 1 minute, the wheel is already downloaded' : 'about 1 minute, downloads ~230 MB from PyPI';
}

const BACKEND_NAMES: Record<string, string> = { wasm: 'WASM', cpu: 'the plain JavaScript backend', tensorflow: 'TensorFlow' };

/** The why of a rejection without its how-to (the offer's button is the how-to): "not installed (...)". */
export function shortReason(reason: string): string {
  return reason.replace(/; run '[^']*'[^)]*\)$/, ')');
}

/** "Training runs on WASM (@tensorflow/tfjs-node not installed (...)). Build the native TensorFlow backend (...)?" */
export function offerMessage(report: BackendReport, cost: string): string {
  const rejection = notInstalledRejection(report);
  const why = rejection ? ` (${rejection.name} ${shortReason(rejection.reason)})` : '';
  return `Training runs on ${BACKEND_NAMES[report.backend] ?? report.backend}${why}. Build the native TensorFlow backend from TensorFlow's PyPI wheel (${cost})?`;
}

/** The backend report in one message: backend, device, and why each better backend was not used. */
export function backendSummary(report: BackendReport, pid: number): string {
  const rejected = report.rejected.map((r) => `${r.name}: ${r.reason}`).join('; ');
  return `LRC trainer (pid ${pid}): backend ${report.backend} (${report.package}${report.version ? ` ${report.version}` : ''}) on ${report.device}.` + (rejected ? ` Not used: ${rejected}.` : '');
}
