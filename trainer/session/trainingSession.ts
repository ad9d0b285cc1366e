// One run from start (or its last checkpoint) to the end: the flat training loop of the trainer.
//   prepare: config, data, tokenizer, models, the training core, resume from checkpoints/last
//   loop:    controls (pause, stop, next stage, weights, evaluate / analyze now), one step, progress log,
//            evaluation + checkpoint every N steps (best model kept by the task's metric), early stopping
//   end:     the best model exported as a Hugging Face folder in export/, run.json finished
// The same loop serves the trainer process (events over IPC) and the CLI (a progress bar).
import * as tf from '@tensorflow/tfjs';
import { cpSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFolderAtomic } from '../util/atomicFile';
import { writeHfFolder } from '../checkpoint/hfFolder';
import { assignHfArraysSteps, modelToHfArrays } from '../checkpoint/hfWeights';
import { readTrainingCheckpoint, writeTrainingCheckpoint } from '../checkpoint/trainingCheckpoint';
import { disposeBertInputs, toBertInputs, toLabelTensor } from '../data/tensors';
import { effectiveLoss, effectiveOptim, effectiveStages, parseRunConfig } from '../config/effective';
import type { RunConfig } from '../config/runConfig';
import type { BackendReport, ControlRequest, ErrorInfo, Evaluation, Progress } from '../protocol';
import { appendMetrics, setAsideTornLine } from '../runs/metricsLog';
import { lastCheckpointState, stepsWithoutCheckpoint } from '../runs/unresumable';
import { runPaths } from '../runs/runFolder';
import { claimRun, readRunRecord, updateRun } from '../runs/runStore';
import { LIVE_STATUSES, type RunRecord, type RunStatus } from '../runs/runRecord';
import { toErrorInfo, UserError } from '../server';
import { SeededRandom } from '../util/random';
import { finishInSlices, nextTurn, type Pause } from '../util/timeSlices';
import { ControlQueue } from './controlQueue';
import { scoreTask } from './evaluate';
import { buildModelsSteps, modelFolderOf, teacherFolderOf } from './models';
import { loadTaskData, meanLabel, type TaskData } from './taskData';
import { DistillCore, FineTuneCore, type TrainingCore } from './trainingCore';
import { runAnalysisStep } from './analysisStep';
import { judgeEvaluation } from './bestModel';
import type { MlmHead } from '../model/mlmHead';
import { MlmCore } from '../pretrain/mlmCore';
import { maskingSettingsOf, scoreMaskedLm } from '../pretrain/pretrainRun';
import type { TeacherCacheSetting } from '../perf/teacherCacheSetting';
import type { TeacherStoreSetting } from '../perf/teacherStoreSetting';
import { startTeacherCache, teacherCacheStats, type TeacherCacheReport } from './teacherCache';
import { taskFeed, type StepFeed } from './stepFeed';
import { GeneralCore, generalStages } from '../general/generalCore';
import { generalModelsSteps } from '../general/generalModels';
import { loadGeneralData } from '../general/generalData';
import type { CorpusFeedState } from '../general/corpusFeed';
import { analyzeGeneral, scoreGeneral } from '../general/evaluateGeneral';
import { describeInherited } from '../config/inherit';
import { checkRunFits } from './memoryCheck';

/** How often a paused run rewrites its heartbeat. */
const HEARTBEAT_MS = 5_000;
/** How often a run setting up rewrites its heartbeat at its set-up points (they come a few times a
 *  second, in the time slices of its long work; each rewrite wakes the file watchers). */
const SETUP_HEARTBEAT_MS = 1_000;
/** How often a live run rewrites its heartbeat whatever it is doing (set-up, a long evaluation): well
 *  under liveness.ts's STALE_HEARTBEAT_MS, so that no reader calls a live run crashed. */
const LIVE_HEARTBEAT_MS = 30_000;

/** A stop (SIGTERM, Ctrl-C, a stop request) seen during set-up, before the first step. */
class StoppedInSetup extends Error {}
/** Thrown between the batches of an evaluation when a stop has come. */
class StoppedInEvaluation extends Error {}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface SessionEvents {
  log(level: LogLevel, message: string): void;
  progress(p: Progress): void;
  evaluation(e: Evaluation): void;
  checkpoint(c: { runId: string; step: number; path: string; best: boolean }): void;
  status(s: { runId: string; status: RunStatus; error?: ErrorInfo }): void;
  /** An analysis file (layer grids and case records) was written. */
  analysis?(a: { runId: string; step: number; file: string }): void;
}

export interface AnalysisContext {
  runDir: string;
  step: number;
  stage: number;
  config: RunConfig;
  data: TaskData;
  core: TrainingCore;
  /** Between the analysis's batches: a stop it throws ends the analysis. */
  pause?: Pause;
}

export interface SessionOptions {
  events: SessionEvents;
  /** Go on from checkpoints/last (if there is one). */
  resume?: boolean;
  backend?: BackendReport;
  versions?: Record<string, string>;
  /** The process's teacher-output cache setting (--teacher-cache, LRC_TEACHER_CACHE); default 'auto'. */
  teacherCache?: TeacherCacheSetting;
  /** The process's teacher-output store setting (--teacher-store, LRC_TEACHER_STORE); default 'off' here,
   * 'auto' in the CLI and the trainer server (library callers and tests write nothing to disk unasked). */
  teacherStore?: TeacherStoreSetting;
  /** Runs once the model is exported, before the run is marked finished: the serving cost of the export
   *  (trainer/serving/), so that a run is never seen finished without it. Must not throw. */
  afterExport?: () => Promise<void>;
}

/** The seed of a step's dropout masks: a pure function of the run's seed and the step. */
export function dropoutSeedOf(seed: number, step: number): number {
  return new SeededRandom((seed * 1_000_003 + step) >>> 0).nextSeed();
}

export { batchOfStep } from './stepFeed';

export class TrainingSession {
  private readonly paths;
  private readonly controls: ControlQueue;
  private paused = false;
  private stopRequested = false;
  private evaluateRequested = false;
  private analyzeRequested = false;
  private lastHeartbeat = Date.now();
  /** Until the first step: a stop ends the session at the next set-up point. */
  private inSetup = true;
  /** An evaluation a stop cut short, to be made first when the run goes on (kept in the checkpoint). */
  private evaluationOwed = false;
  /** The id of the run (read from run.json when the session is made: a bad folder fails here). */
  readonly runId: string;

  constructor(
    readonly runDir: string,
    private readonly options: SessionOptions,
  ) {
    this.paths = runPaths(runDir);
    this.runId = readRunRecord(runDir).id;
    this.controls = new ControlQueue(join(runDir, 'control.jsonl'), (level, m) => this.options.events.log(level, m));
  }

  /** A request from the host; applied between steps (a stop also between the parts of set-up). */
  control(request: ControlRequest): void {
    this.controls.push(request);
  }

  /** True until the first step (or the loop) starts. */
  get settingUp(): boolean {
    return this.inSetup;
  }

  async run(): Promise<RunRecord> {
    const events = this.options.events;
    let record = readRunRecord(this.runDir);
    const config = parseRunConfig(record.config, `${this.paths.record} (config)`);
    if (record.status === 'finished') throw new UserError(`run ${record.id} has already finished`, 'run');
    const lastCheckpoint = join(this.paths.checkpoints, 'last');
    const resuming = !!this.options.resume && existsSync(lastCheckpointState(this.runDir));
    if (!this.options.resume && record.progress.step > 0) {
      throw new UserError(`run ${record.id} has already trained ${record.progress.step} steps: resume it instead of starting it again`, 'run');
    }
    // trained, with no checkpoint: refused, the folder left as it is (trainer/runs/unresumable.ts)
    const steps = this.options.resume ? stepsWithoutCheckpoint(this.runDir, record) : 0;
    if (steps > 0) {
      throw new UserError(
        `run ${record.id} has trained ${steps} steps but has no checkpoint to resume from (no ${lastCheckpointState(this.runDir)}): ` +
          `its history is kept as it is; start a new run with the same config: ${newRunCommand(record.kind, join(this.runDir, 'config.json'))}`,
        'run',
      );
    }
    // The checkpoint is read before the run is claimed: one that cannot be read leaves the folder as it was.
    const ckpt = resuming ? readTrainingCheckpoint(lastCheckpoint) : undefined;
    claimRun(this.runDir);
    // the heartbeat from the first moment: set-up (reading a large task, building a large model) can take minutes
    const heartbeatTimer = setInterval(() => this.heartbeat(), LIVE_HEARTBEAT_MS);
    heartbeatTimer.unref();
    try {
      const torn = setAsideTornLine(this.paths.metrics);
      if (torn) events.log('warn', `${this.paths.metrics} ended in a line cut short (${torn.bytes} bytes, from a crash): set aside in ${torn.file}`);
      record = updateRun(this.runDir, (r) => ({ ...r, backend: this.options.backend ?? r.backend, versions: this.options.versions ?? r.versions }));
      this.setStatus('running');
    } catch (e) {
      // no heartbeat for a run that never started: whoever looks next finds its owner silent
      clearInterval(heartbeatTimer);
      throw e;
    }
    let core: TrainingCore | undefined;
    let teacher: { dispose(): void } | undefined;
    let feed: StepFeed | undefined;
    try {
      // ---- prepare -----------------------------------------------------------------------------
      const runsDir = dirname(this.runDir);
      const log = (m: string) => events.log('info', m);
      if (record.inherited) log(describeInherited(record.inherited));
      // a stop during set-up is honoured between its parts (each yields to the signal handlers and reads the controls)
      const setupPoint = () => this.setupPoint();
      await setupPoint();
      // Training batches: a task's training set in memory, or a general run's corpus streamed from its position.
      let data: TaskData;
      if (config.kind === 'general') {
        ({ data, feed } = await loadGeneralData(config, this.runDir, teacherFolderOf(config, runsDir)!, ckpt?.extra?.feed as CorpusFeedState | undefined, log, setupPoint));
      } else {
        data = await loadTaskData(config, this.runDir, modelFolderOf(config, runsDir), log, setupPoint);
        feed = taskFeed(data.train, config.seed, config.optim.batchSize);
      }
      await setupPoint();
      // the memory the run needs, with the real vocabulary, labels and training set, on the backend chosen:
      // over the machine's (or the WASM heap's) limit, the run fails here, before a weight is made
      checkRunFits(config, runsDir, `run ${record.id}`, this.options.backend?.backend ?? config.backend, this.options.teacherCache, {
        vocabSize: data.tokenizer.vocab.size,
        labels: data.kind === 'regression' ? 1 : Math.max(1, data.labelNames.length),
        train: { examples: feed.examplesPerEpoch, tokens: feed.tokensPerEpoch },
      });
      const trainSize = feed.examplesPerEpoch;
      if (trainSize === 0) throw new UserError('the training set is empty', 'data');
      if (data.dev.examples.length === 0) throw new UserError('the dev set is empty', 'data');
      const batchSize = config.optim.batchSize;
      const perEpoch = Math.ceil(trainSize / batchSize);
      const totalSteps = config.optim.maxSteps ?? Math.max(1, Math.ceil(config.optim.epochs * perEpoch));
      const task = { vocabSize: data.tokenizer.vocab.size, labelNames: data.labelNames, kind: data.kind, maxLength: config.maxLength, labelMean: meanLabel(data.train) };
      // in time slices: a BERT-base teacher takes seconds to read and make
      const models = await finishInSlices(config.kind === 'general' ? generalModelsSteps(config, teacherFolderOf(config, runsDir)!, data.tokenizer.vocab.size) : buildModelsSteps(config, task, teacherFolderOf(config, runsDir)), setupPoint);
      teacher = models.teacher;
      for (const note of models.notes) events.log('info', note);
      await setupPoint();
      const optim = effectiveOptim(config);
      const learningRate = { peak: optim.learningRate, totalSteps, warmupShare: optim.warmupShare };
      if (config.kind === 'general') {
        core = new GeneralCore(models.teacher!, models.trained, { loss: effectiveLoss(config), optim, stages: generalStages(config), totalSteps, seed: config.seed });
      } else if (models.teacher) {
        core = new DistillCore(models.teacher, models.trained, { loss: effectiveLoss(config), optim, stages: effectiveStages(config), totalSteps, seed: config.seed });
      } else if (config.kind === 'pretrain') {
        const mlm = new MlmCore(models.trained, maskingSettingsOf(config, data, models.trained.config.vocab_size), optim, learningRate, config.seed);
        core = mlm;
        if (models.mlmHead) mlm.loadHead(models.mlmHead, config.init!);
      } else {
        core = new FineTuneCore(models.trained, optim, learningRate);
      }
      const mlmHead = core instanceof MlmCore ? core.head : undefined;
      let step = 0;
      let evalsWithoutBetter = 0;
      let best = record.best;
      // A distilled student's pooler and classifier train only with L_soft or L_hard (stage 2 by default):
      // until then its dev score says nothing about the model, and it cannot be the best checkpoint.
      // A general run has no prediction layer: its evaluations (the mapped layers' cosine) are candidates from the start.
      let predictionTrained = !(core instanceof DistillCore) || core instanceof GeneralCore;
      if (ckpt) {
        await finishInSlices(assignHfArraysSteps(core.model, ckpt.student, lastCheckpoint), setupPoint);
        const projections = new Map([...ckpt.projections].map(([n, a]) => [n, a.values as Float32Array]));
        core.restore({ optimizer: ckpt.optimizer, schedule: ckpt.extra?.schedule as never, projections });
        step = ckpt.step;
        evalsWithoutBetter = Number(ckpt.extra?.evalsWithoutBetter ?? 0);
        predictionTrained = predictionTrained || Boolean(ckpt.extra?.predictionTrained ?? ckpt.stage > 1);
        // an evaluation a stop cut short: made before the next step
        if (ckpt.extra?.evaluationOwed) this.evaluateRequested = true;
        events.log('info', `resumed ${record.id} from its checkpoint at step ${step}`);
      }
      updateRun(this.runDir, (r) => ({ ...r, progress: { ...r.progress, step, totalSteps, epoch: step / perEpoch, stage: core!.stageAt(Math.min(step, totalSteps - 1)) } }));
      this.metrics({ type: 'start', step, totalSteps, trainExamples: trainSize, devExamples: data.dev.examples.length, resumed: resuming, backend: this.options.backend?.backend, ...(record.inherited ? { inherited: record.inherited } : {}) });
      events.log('info', `${record.kind} run ${record.id}: ${trainSize} training examples, ${totalSteps} steps of ${batchSize} (${(totalSteps / perEpoch).toFixed(2)} epochs)`);
      // The teacher-output cache: in memory, a resumed run starts with an empty one; the store on disk
      // gives it back what this run (or another of the same teacher) computed before.
      const reportCache = (report: TeacherCacheReport | undefined) => {
        if (!report) return;
        events.log('info', report.message);
        this.metrics({ type: 'teacherCache', step, ...report.record });
      };
      if (core instanceof DistillCore) {
        const storeContext = this.options.teacherStore && {
          setting: this.options.teacherStore,
          runsDir,
          backend: this.options.backend?.backend ?? tf.getBackend(),
          teacherSource: teacherFolderOf(config, runsDir),
          inSweep: record.sweep !== undefined,
          warn: (message: string) => events.log('warn', message),
          info: (message: string) => events.log('info', message),
          runId: record.id,
        };
        for (const report of await startTeacherCache(this.options.teacherCache ?? { mode: 'auto', source: 'default' }, core, { examples: trainSize, tokens: feed.tokensPerEpoch }, storeContext, setupPoint)) reportCache(report);
      }
      await setupPoint();
      this.inSetup = false;

      const saveCheckpoint = async () => {
        const state = core!.state();
        await writeTrainingCheckpoint(lastCheckpoint, {
          step,
          stage: core!.stageAt(Math.min(step, totalSteps - 1)),
          lossWeights: {},
          random: {},
          config: record.config,
          student: modelToHfArrays(core!.model),
          projections: new Map([...state.projections].map(([n, v]) => [n, { shape: v.shape.slice(), values: new Float32Array(v.dataSync()) }])),
          optimizer: state.optimizer,
          extra: { schedule: state.schedule ?? null, evalsWithoutBetter, best: best ?? null, predictionTrained, ...(this.evaluationOwed ? { evaluationOwed: true } : {}), ...(feed!.state() ? { feed: feed!.state() } : {}) },
        });
        this.metrics({ type: 'checkpoint', step, path: lastCheckpoint });
        events.checkpoint({ runId: record.id, step, path: lastCheckpoint, best: false });
      };

      // An evaluation ends at the next batch when a stop comes; it is owed, and made first on resume.
      const evaluate = async (): Promise<boolean> => {
        const t0 = Date.now();
        const pause = () => this.evaluationPause();
        const scores = core instanceof MlmCore ? await scoreMaskedLm(core.model, core.head, core.masking, data.dev, config.eval.batchSize, pause)
          : core instanceof GeneralCore ? await scoreGeneral(core.distillation, data.dev, config.eval.batchSize, pause)
          : await scoreTask(core!.model, data, config, pause);
        const { metrics, score, candidate, isBest } = judgeEvaluation(scores, predictionTrained, best);
        if (isBest) {
          best = { metric: scores.primary, value: score!, step };
          await writeHfFolder(core!.model, join(this.paths.checkpoints, 'best'), { tokenizerFrom: data.tokenizerFolder, mlmHead, bertModel: core instanceof GeneralCore });
          events.checkpoint({ runId: record.id, step, path: join(this.paths.checkpoints, 'best'), best: true });
          evalsWithoutBetter = 0;
        } else if (candidate) {
          evalsWithoutBetter += 1;
        }
        const e: Evaluation = { runId: record.id, step, metrics, primary: scores.primary, score, best: isBest, candidate, seconds: (Date.now() - t0) / 1000 };
        this.metrics({ type: 'eval', ...e });
        events.evaluation(e);
        updateRun(this.runDir, (r) => ({ ...r, best }));
        return isBest;
      };

      /** An interruptible evaluation; false when a stop ended it (left out, and owed: made first on resume). */
      const evaluateUnlessStopped = async (): Promise<boolean> => {
        try {
          await evaluate();
          this.evaluationOwed = false;
          return true;
        } catch (e) {
          if (!(e instanceof StoppedInEvaluation)) throw e;
          events.log('info', `a stop came during the evaluation at step ${step}: it is left out, and made first when the run is resumed`);
          this.evaluationOwed = true;
          return false;
        }
      };

      /** The layer analysis at this step; false when a stop ended it (it is left out: analyses are optional). */
      const analyze = async (): Promise<boolean> => {
        const pause = () => this.evaluationPause();
        let file: string | undefined;
        try {
          file = core instanceof GeneralCore
            ? await analyzeGeneral(core.distillation, data.dev, { runDir: this.runDir, step, batchSize: config.eval.batchSize, pause })
            : await runAnalysisStep({ runDir: this.runDir, step, stage: core!.stageAt(Math.max(0, Math.min(step, totalSteps) - 1)), config, data, core: core!, pause });
        } catch (e) {
          if (!(e instanceof StoppedInEvaluation)) throw e;
          events.log('info', `a stop came during the analysis at step ${step}: it is left out`);
          return false;
        }
        if (!file) return true;
        this.metrics({ type: 'analysis', step, file });
        events.analysis?.({ runId: record.id, step, file });
        return true;
      };

      // ---- loop --------------------------------------------------------------------------------
      let windowStart = Date.now();
      let windowExamples = 0;
      let windowTokens = 0;
      while (step < totalSteps) {
        await this.applyControls(core, step);
        if (this.stopRequested) break;
        if (this.evaluateRequested || this.analyzeRequested) {
          if (this.evaluateRequested && !(await evaluateUnlessStopped())) break;
          if ((config.eval.analysis || this.analyzeRequested) && !(await analyze())) break;
          this.evaluateRequested = this.analyzeRequested = false;
        }

        // one optimiser step
        const batch = await feed.batch(step);
        const indices = batch.indices;
        const inputs = toBertInputs(batch);
        const labels = toLabelTensor(batch);
        let outcome;
        try {
          outcome = core.step({ inputs, labels }, step, dropoutSeedOf(config.seed, step));
          if (outcome.weights && (outcome.weights.beta > 0 || outcome.weights.gamma > 0)) predictionTrained = true;
        } finally {
          disposeBertInputs(inputs);
          labels.dispose();
        }
        step += 1;
        if (core instanceof DistillCore && step % perEpoch === 0) reportCache(teacherCacheStats(core, 'epoch', step, step / perEpoch));
        windowExamples += indices.length;
        windowTokens += batch.attentionMask.reduce((a: number, b: number) => a + b, 0);

        // progress
        if (step % config.logEverySteps === 0 || step === totalSteps || outcome.stage !== core.stageAt(Math.min(step, totalSteps - 1))) {
          const seconds = Math.max(1e-3, (Date.now() - windowStart) / 1000);
          const progress: Progress = {
            runId: record.id, step, totalSteps, epoch: step / perEpoch, stage: outcome.stage, weights: outcome.weights,
            clean: outcome.clean, perturbed: outcome.perturbed, learningRate: outcome.learningRate, gradNorm: outcome.gradNorm,
            examplesPerSecond: windowExamples / seconds, tokensPerSecond: windowTokens / seconds,
            tensors: tf.memory().numTensors, memoryBytes: process.memoryUsage().rss,
          };
          this.metrics({ type: 'progress', ...progress });
          events.progress(progress);
          updateRun(this.runDir, (r) => ({ ...r, progress: { step, totalSteps, epoch: step / perEpoch, stage: outcome.stage }, owner: r.owner && { ...r.owner, heartbeatAt: new Date().toISOString() } }));
          windowStart = Date.now();
          windowExamples = windowTokens = 0;
        }

        // evaluate and checkpoint
        if (step % config.eval.everySteps === 0 || step === totalSteps) {
          if (!(await evaluateUnlessStopped())) break;
          if (config.eval.analysis && !(await analyze())) break;
          await saveCheckpoint();
          if (config.eval.earlyStoppingPatience > 0 && evalsWithoutBetter >= config.eval.earlyStoppingPatience) {
            events.log('info', `early stopping at step ${step}: no better ${best?.metric} in ${evalsWithoutBetter} evaluations`);
            this.metrics({ type: 'earlyStop', step });
            break;
          }
        }
        await nextTurn(); // let control messages in
      }

      // an evaluation owed at the last step (a stop cut it short there, and the run was resumed): made now
      if (!this.stopRequested && this.evaluateRequested && step >= totalSteps) {
        this.evaluateRequested = false;
        await evaluateUnlessStopped();
      }

      // ---- end ---------------------------------------------------------------------------------
      if (core instanceof DistillCore) reportCache(teacherCacheStats(core, 'end', step, step / perEpoch));
      if (this.stopRequested) {
        await saveCheckpoint();
        updateRun(this.runDir, (r) => ({ ...r, progress: { ...r.progress, step, epoch: step / perEpoch } })); // where the checkpoint is
        this.setStatus('stopped');
        return readRunRecord(this.runDir);
      }
      await this.exportBest(core, data, mlmHead);
      // a stop that came during the export: the run has everything it trained; the serving cost is left to `measure`
      if (this.stopArrived()) events.log('info', `a stop came at the end: the serving cost is not measured (lrc-distill measure ${record.id} measures it)`);
      else await this.options.afterExport?.();
      this.metrics({ type: 'finished', step, best });
      this.setStatus('finished');
      return readRunRecord(this.runDir);
    } catch (e) {
      if (e instanceof StoppedInSetup) {
        events.log('info', `stopped during set-up, before step ${record.progress.step + 1}: nothing trained in this session`);
        this.setStatus('stopped');
        return readRunRecord(this.runDir);
      }
      const error = toErrorInfo(e);
      events.log('error', error.message);
      this.setStatus('failed', error);
      throw e;
    } finally {
      clearInterval(heartbeatTimer);
      feed?.close();
      core?.dispose();
      core?.model.dispose();
      teacher?.dispose();
    }
  }

  /** export/: the best checkpoint when there is one, else the final weights. */
  private async exportBest(core: TrainingCore, data: TaskData, mlmHead: MlmHead | undefined): Promise<void> {
    const bestDir = join(this.paths.checkpoints, 'best');
    if (existsSync(join(bestDir, 'model.safetensors'))) {
      await writeFolderAtomic(this.paths.export, (tmp) => cpSync(bestDir, tmp, { recursive: true }));
    } else {
      await writeHfFolder(core.model, this.paths.export, { tokenizerFrom: data.tokenizerFolder, mlmHead, bertModel: core instanceof GeneralCore });
    }
    this.options.events.log('info', `exported the ${existsSync(bestDir) ? 'best' : 'final'} model to ${this.paths.export}`);
  }

  /** Between the parts of set-up and the time slices of its long work (a few a second): lets the signal
   *  handlers and the IPC messages in, renews the heartbeat every SETUP_HEARTBEAT_MS, and ends the
   *  session as stopped when a stop came (the other requests wait for the loop). */
  private async setupPoint(): Promise<void> {
    await nextTurn();
    if (Date.now() - this.lastHeartbeat >= SETUP_HEARTBEAT_MS) this.heartbeat();
    if (this.stopArrived()) throw new StoppedInSetup('stopped during set-up');
  }

  /** Between the batches of an evaluation or analysis: the signals and messages in, and a stop ends it. */
  private async evaluationPause(): Promise<void> {
    await nextTurn();
    if (this.stopArrived()) throw new StoppedInEvaluation();
  }

  /** Whether a stop has come (the other requests are left for whoever reads them next). */
  private stopArrived(): boolean {
    for (const request of this.controls.drain()) {
      if (request.type === 'stop') this.stopRequested = true;
      else this.controls.push(request);
    }
    return this.stopRequested;
  }

  /** Rewrites the heartbeat of a run this process owns and that is live. */
  private heartbeat(): void {
    try {
      // checked under the record's lock: a run another process has marked or claimed meanwhile is left alone
      updateRun(this.runDir, (x) => {
        if (!x.owner || x.owner.pid !== process.pid || !LIVE_STATUSES.includes(x.status)) return x;
        this.lastHeartbeat = Date.now();
        return { ...x, owner: { ...x.owner, heartbeatAt: new Date().toISOString() } };
      });
    } catch {
      // a heartbeat that cannot be written is tried again at the next one
    }
  }

  private async applyControls(core: TrainingCore, step: number): Promise<void> {
    for (;;) {
      for (const request of this.controls.drain()) this.apply(core, step, request);
      if (!this.paused || this.stopRequested) return;
      await new Promise((r) => setTimeout(r, 100));
      // The heartbeat of a paused run, every few seconds (each rewrite wakes the file watchers).
      if (Date.now() - this.lastHeartbeat > HEARTBEAT_MS) {
        this.lastHeartbeat = Date.now();
        updateRun(this.runDir, (r) => ({ ...r, owner: r.owner && { ...r.owner, heartbeatAt: new Date().toISOString() } }));
      }
    }
  }

  private apply(core: TrainingCore, step: number, request: ControlRequest): void {
    const events = this.options.events;
    try {
      switch (request.type) {
        case 'pause':
          if (!this.paused) this.setStatus('paused');
          this.paused = true;
          break;
        case 'resume':
          if (this.paused) this.setStatus('running');
          this.paused = false;
          break;
        case 'stop':
          this.stopRequested = true;
          break;
        case 'nextStage':
          core.nextStageNow(step);
          break;
        case 'setWeights': {
          const { type: _type, ...change } = request;
          core.changeWeights(step, change);
          break;
        }
        case 'evaluate':
          this.evaluateRequested = true;
          break;
        case 'analyze':
          this.analyzeRequested = true;
          break;
      }
      this.metrics({ type: 'control', step, request });
      events.log('info', `applied ${request.type} at step ${step}`);
    } catch (e) {
      this.metrics({ type: 'controlRejected', step, request, error: (e as Error).message });
      events.log('warn', `could not apply ${request.type} at step ${step}: ${(e as Error).message}`);
    }
  }

  private setStatus(status: RunStatus, error?: ErrorInfo): void {
    const live = status === 'running' || status === 'paused';
    updateRun(this.runDir, (r) => ({
      ...r,
      status,
      error,
      endedAt: live ? undefined : new Date().toISOString(),
      owner: live ? r.owner : undefined,
    }));
    this.metrics({ type: 'status', step: readRunRecord(this.runDir).progress.step, status, ...(error ? { error: error.message } : {}) });
    this.options.events.status({ runId: this.runId, status, error });
  }

  private metrics(record: { type: string; step: number } & Record<string, unknown>): void {
    appendMetrics(this.paths.metrics, { ...record, time: new Date().toISOString() });
  }
}

/** The CLI command that starts a new run of `kind` from a run config file. */
export function newRunCommand(kind: RunRecord['kind'], configFile: string): string {
  const command = { teacher: 'train-teacher', student: 'train-student', pretrain: 'pretrain', lrc: 'distill', mse: 'distill --loss mse', general: 'distill-general' }[kind];
  const quoted = /^[\w./:@+-]+$/.test(configFile) ? configFile : `'${configFile.replace(/'/g, `'\\''`)}'`;
  return `lrc-distill ${command} --config ${quoted}`;
}
