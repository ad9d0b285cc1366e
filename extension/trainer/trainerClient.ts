// Owns one trainer child process: start, typed requests with a timeout, events, stop and kill.
// A child that does not answer in time is killed; a child is never left behind on dispose.
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import {
  HelloRequest,
  ShutdownRequest,
  TrainerToHostSchema,
  type EventMessage,
  type HelloResult,
  type RequestType,
} from '../../trainer/protocol';

export interface TrainerClientOptions {
  /** Path of the trainer bundle (dist/trainer.js). */
  script: string;
  /** Working directory of the child. */
  cwd: string;
  /** Where the child's stdout/stderr and protocol problems go. */
  log: (line: string) => void;
  /** How long a request may go unanswered before the child is killed (ms). */
  requestTimeoutMs?: number;
  /** Node options of the child (tests run the TypeScript entry through `--import tsx`). */
  execArgv?: string[];
  /** Variables added to the child's environment (LRC_THREADS, LRC_TEACHER_CACHE). */
  env?: Record<string, string>;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
  method: string;
}

export class TrainerRequestError extends Error {
  constructor(
    message: string,
    readonly where?: string,
  ) {
    super(message);
    this.name = 'TrainerRequestError';
  }
}

export class TrainerClient {
  private child: ChildProcess | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly events = new EventEmitter();
  private readonly timeoutMs: number;

  constructor(private readonly options: TrainerClientOptions) {
    this.timeoutMs = options.requestTimeoutMs ?? 60_000;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the child if it is not running. */
  start(): void {
    if (this.running) return;
    const child = fork(this.options.script, [], {
      cwd: this.options.cwd,
      // Inside Electron, process.execPath is the editor itself: run it as plain Node.
      env: { ...process.env, ...this.options.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      execArgv: this.options.execArgv ?? [],
      serialization: 'json',
    });
    this.child = child;
    const log = this.options.log;
    child.stdout?.setEncoding('utf8').on('data', (d: string) => log(d.trimEnd()));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => log(d.trimEnd()));
    child.stdout?.on('error', (e) => log(`trainer stdout error: ${e.message}`));
    child.stderr?.on('error', (e) => log(`trainer stderr error: ${e.message}`));
    child.on('error', (e) => {
      log(`trainer process error: ${e.message}`);
      this.failPending(new Error(`trainer process error: ${e.message}`));
    });
    child.on('message', (raw) => this.onMessage(raw));
    child.on('exit', (code, signal) => {
      log(`trainer exited (${signal ?? `code ${code}`})`);
      if (this.child === child) this.child = undefined;
      this.failPending(new Error(`trainer exited (${signal ?? `code ${code}`}) before answering`));
      this.events.emit('exit', { code, signal });
    });
  }

  /** Sends a request and resolves with its validated result. Kills the child when it times out. */
  request<P, R>(type: RequestType<P, R>, params: P, timeoutMs = this.timeoutMs): Promise<R> {
    this.start();
    const child = this.child!;
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        this.options.log(`trainer did not answer '${type.method}' within ${timeoutMs} ms: killing it`);
        this.kill();
        reject(new Error(`trainer did not answer '${type.method}' within ${timeoutMs} ms and was stopped`));
      }, timeoutMs);
      this.pending.set(id, {
        method: type.method,
        timer,
        reject,
        resolve: (raw) => {
          const parsed = type.result.safeParse(raw);
          if (parsed.success) resolve(parsed.data);
          else reject(new Error(`trainer sent a malformed result for '${type.method}': ${parsed.error.message}`));
        },
      });
      child.send({ type: 'request', id, method: type.method, params }, (err) => {
        if (!err) return;
        const p = this.pending.get(id);
        if (!p) return;
        clearTimeout(p.timer);
        this.pending.delete(id);
        reject(new Error(`could not send '${type.method}' to the trainer: ${err.message}`));
      });
    });
  }

  hello(): Promise<HelloResult> {
    return this.request(HelloRequest, {});
  }

  onEvent(listener: (msg: EventMessage) => void): () => void {
    this.events.on('event', listener);
    return () => this.events.off('event', listener);
  }

  onExit(listener: (info: { code: number | null; signal: NodeJS.Signals | null }) => void): () => void {
    this.events.on('exit', listener);
    return () => this.events.off('exit', listener);
  }

  /** Asks the child to shut down, and kills it if it has not exited within `timeoutMs`. */
  async stop(timeoutMs = 5_000): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    this.request(ShutdownRequest, {}, timeoutMs).catch(() => undefined);
    const timer = setTimeout(() => this.kill(), timeoutMs);
    await exited;
    clearTimeout(timer);
  }

  /** Kills the child at once. */
  kill(): void {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }

  dispose(): void {
    this.kill();
    this.failPending(new Error('trainer client disposed'));
    this.events.removeAllListeners();
  }

  private onMessage(raw: unknown): void {
    const msg = TrainerToHostSchema.safeParse(raw);
    if (!msg.success) {
      this.options.log(`malformed message from the trainer ignored: ${msg.error.message}`);
      return;
    }
    const m = msg.data;
    if (m.type === 'event') {
      this.events.emit('event', m);
      return;
    }
    const p = this.pending.get(m.id);
    if (!p) {
      if (!m.ok) this.options.log(`trainer error: ${m.error.message}`);
      return;
    }
    this.pending.delete(m.id);
    clearTimeout(p.timer);
    if (m.ok) p.resolve(m.result);
    else p.reject(new TrainerRequestError(m.error.message, m.error.where));
  }

  private failPending(error: Error): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(error);
      this.pending.delete(id);
    }
  }
}
