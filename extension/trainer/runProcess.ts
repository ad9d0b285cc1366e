// One trainer child process for one run: hello (with the backend), startRun, controls over IPC, and
// a liveness ping. A child that leaves a request or the ping unanswered past the timeout is killed by
// its TrainerClient; its exit then tells the RunManager what happened to the run.
import {
  ControlRunRequest,
  HelloRequest,
  StartRunRequest,
  type BackendName,
  type ControlRequest,
  type EventMessage,
  type HelloResult,
} from '../../trainer/protocol';
import { TrainerClient } from './trainerClient';

export interface RunProcessOptions {
  /** dist/trainer.js */
  script: string;
  /** The child's working directory: the workspace folder, so relative paths in configs work. */
  cwd: string;
  log: (line: string) => void;
  /** How long a request or the ping may go unanswered (ms). */
  timeoutMs: number;
  /** Variables added to the child's environment (settings.trainerPerfEnv). */
  env?: Record<string, string>;
  /** How often the child is pinged while it runs (ms). */
  pingEveryMs?: number;
  onEvent: (msg: EventMessage) => void;
  onExit: (info: { code: number | null; signal: NodeJS.Signals | null }) => void;
}

export class RunProcess {
  private readonly client: TrainerClient;
  private pingTimer: NodeJS.Timeout | undefined;
  private pinging = false;
  hello: HelloResult | undefined;

  constructor(
    readonly runId: string,
    readonly runDir: string,
    private readonly options: RunProcessOptions,
  ) {
    this.client = new TrainerClient({ script: options.script, cwd: options.cwd, log: options.log, requestTimeoutMs: options.timeoutMs, env: options.env });
    this.client.onEvent(options.onEvent);
    this.client.onExit((info) => {
      this.stopPinging();
      options.onExit(info);
    });
  }

  get pid(): number | undefined {
    return this.client.pid;
  }

  get running(): boolean {
    return this.client.running;
  }

  /** Starts the child, chooses its backend and starts (or resumes) the run; resolves once the run is under way. */
  async start(resume: boolean, backend: BackendName | undefined): Promise<HelloResult> {
    this.client.start();
    // Loading a backend (WASM compile, TensorFlow) can take a while on a cold machine.
    this.hello = await this.client.request(HelloRequest, backend ? { backend } : {}, Math.max(this.options.timeoutMs, 120_000));
    await this.client.request(StartRunRequest, { runDir: this.runDir, resume });
    this.pingTimer = setInterval(() => void this.ping(), this.options.pingEveryMs ?? 15_000);
    return this.hello;
  }

  control(request: ControlRequest): Promise<Record<string, never>> {
    return this.client.request(ControlRunRequest, request) as Promise<Record<string, never>>;
  }

  /** Asks the child to end (after its run has stopped or finished), killing it if it does not in time. */
  stop(timeoutMs = 5_000): Promise<void> {
    this.stopPinging();
    return this.client.stop(timeoutMs);
  }

  kill(): void {
    this.stopPinging();
    this.client.kill();
  }

  dispose(): void {
    this.stopPinging();
    this.client.dispose();
  }

  private async ping(): Promise<void> {
    if (this.pinging || !this.client.running) return;
    this.pinging = true;
    try {
      await this.client.request(HelloRequest, {});
    } catch {
      // the client has logged it and killed an unresponsive child; its exit handler reports the run
    } finally {
      this.pinging = false;
    }
  }

  private stopPinging(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = undefined;
  }
}
