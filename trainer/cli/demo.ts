// `lrc-distill demo` (npm run demo, and what `npm start` runs): the whole product on the bundled
// SpamAssassin ham/spam task, on whatever backend this machine has:
//   1. fine-tune a teacher on all 4,690 labelled training mails (no pretrained BERT can be downloaded,
//      so it trains from scratch);
//   2. distil an LRC-BERT student from it, and its paired MSE baseline (same config but the loss), with
//      the labels of only 500 of those mails (a fixed random subset): the teacher knows more than the
//      students' labels tell, as a pre-trained teacher does, and distillation has something to pass on;
//   3. train the same student shape alone on the same 500 mails, the reference a distiller must beat;
//   4. evaluate all four on the dev set, export them, and print a summary table.
// The three students are independent once the teacher is trained: with --workers N (default: the
// cores) they run side by side in N child processes, the teacher before them with every core as WASM
// threads; --workers 1 runs everything in this process, one after another. Same numbers either way.
// docs/demo.md has the measurements behind the choices: on this corpus no model shape makes a teacher
// trained on the same mails clearly better than the student alone. --quick makes it a smoke test.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { loadHfModel } from '../checkpoint/hfFolder';
import { parseRunConfig } from '../config/effective';
import { readRun } from '../runs/runStore';
import type { RunRecord } from '../runs/runRecord';
import { scoreTask } from '../session/evaluate';
import { loadTaskData } from '../session/taskData';
import { configFromFlags } from './options';
import { checkPerfFlags, createRunFromConfig, EXIT, runSession, type CliContext } from './runCommands';
import { modelFolderOfRun } from './inspectCommands';
import { updateRun } from '../runs/runStore';
import { runPairedAnalysis } from '../session/analysisStep';
import { runInChildProcesses } from './parallelRuns';
import { defaultWorkers } from '../sweep/localPool';
import { InputError, shown } from '../errors';

/** The demo's defaults; every one can be overridden by the usual flags. */
export const DEMO = {
  teacher: { layers: 4, hidden: 128, heads: 4, intermediate: 512, dropout: 0.1 },
  student: { layers: 2, hidden: 64, heads: 4, intermediate: 256, dropout: 0.1 },
  maxLength: 64,
  builtVocabSize: 6000,
  teacherOptim: { epochs: 2, batchSize: 16, learningRate: 5e-4 },
  /** The labelled mails the students see: a fixed random subset of the teacher's training set. */
  studentLabels: 500,
  studentOptim: { epochs: 10, batchSize: 16, learningRate: 1e-3 },
  evalEvery: 150,
  studentEvalEvery: 64,
};

const QUICK = { maxTrainExamples: 96, studentLabels: 48, maxDevExamples: 48, epochs: 1, evalEvery: 6 };

interface Row {
  name: string;
  run: RunRecord;
  metrics: Record<string, number>;
  parameters: number;
  bytes: number;
  examplesPerSecond: number;
  /** Labelled training examples the model learnt from. */
  labelled: number;
}

function baseConfig(ctx: CliContext, kind: string, extra: Record<string, unknown>): Record<string, unknown> {
  const quick = ctx.flags.quick;
  const c = configFromFlags(kind, { ...ctx.flags, task: ctx.flags.task ?? 'demo' }, {
    maxLength: DEMO.maxLength,
    builtVocabSize: DEMO.builtVocabSize,
    eval: { everySteps: quick ? QUICK.evalEvery : DEMO.evalEvery },
    ...(quick ? { maxTrainExamples: QUICK.maxTrainExamples, maxDevExamples: QUICK.maxDevExamples } : {}),
    ...extra,
  });
  return c;
}

async function measure(name: string, run: RunRecord, runDir: string): Promise<Row> {
  const folder = modelFolderOfRun(runDir);
  const config = parseRunConfig(run.config, `${runDir}/run.json`);
  const data = await loadTaskData({ ...config, tokenizer: folder }, runDir, folder, () => {});
  const { model } = loadHfModel(folder, { trainable: false });
  try {
    const parameters = [...model.namedWeights().values()].reduce((a, v) => a + v.size, 0);
    const t0 = Date.now();
    const scores = await scoreTask(model, data, { ...config, eval: { ...config.eval, batchSize: 32 } });
    const seconds = (Date.now() - t0) / 1000;
    const labelled = data.train.examples.length;
    return { name, run, metrics: scores.metrics, parameters, bytes: statSync(join(folder, 'model.safetensors')).size, examplesPerSecond: data.dev.examples.length / seconds, labelled };
  } finally {
    model.dispose();
  }
}

function table(rows: Row[]): string {
  const teacher = rows[0];
  const head = ['model', 'labelled mails', 'accuracy', 'F1 (spam)', 'parameters', 'size on disk', 'dev examples/s', 'speed-up'];
  const body = rows.map((r) => [
    r.name,
    String(r.labelled),
    (r.metrics.accuracy ?? NaN).toFixed(4),
    (r.metrics.f1 ?? NaN).toFixed(4),
    `${(r.parameters / 1e6).toFixed(2)}M`,
    `${(r.bytes / 2 ** 20).toFixed(1)} MiB`,
    r.examplesPerSecond.toFixed(0),
    `${(r.examplesPerSecond / teacher.examplesPerSecond).toFixed(1)}x`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

export async function demoCommand(ctx: CliContext): Promise<number> {
  const t0 = Date.now();
  const quick = !!ctx.flags.quick;
  const epochs = (e: number) => (quick ? QUICK.epochs : e);
  checkPerfFlags(ctx.flags);
  const workers = ctx.flags.workers === undefined ? defaultWorkers() : Number(ctx.flags.workers);
  if (!Number.isInteger(workers) || workers < 1) throw new InputError({ field: '--workers', expected: 'a whole number of processes, 1 or more', found: shown(ctx.flags.workers) });
  console.log(`LRC Distill demo on the SpamAssassin task (runs in ${ctx.runsDir})${quick ? ', quick' : ''}`);
  console.log(`The teacher learns from all the labelled training mails, the students from ${quick ? QUICK.studentLabels : DEMO.studentLabels} of them.`);

  // 1. the teacher
  const teacherRun = createRunFromConfig(ctx, baseConfig(ctx, 'teacher', { name: 'demo teacher', model: DEMO.teacher, optim: { ...DEMO.teacherOptim, epochs: epochs(DEMO.teacherOptim.epochs) } }), 'demo teacher');
  const teacher = await runSession(ctx, teacherRun.dir, false);
  if (teacher.status !== 'finished') return teacher.status === 'stopped' ? EXIT.interrupted : EXIT.runFailed;

  // 2. LRC student and its MSE baseline, 3. the student alone
  const studentOptim = { ...DEMO.studentOptim, epochs: epochs(DEMO.studentOptim.epochs) };
  const studentData = { maxTrainExamples: quick ? QUICK.studentLabels : DEMO.studentLabels, eval: { everySteps: quick ? QUICK.evalEvery : DEMO.studentEvalEvery } };
  const lrcRaw = baseConfig(ctx, 'lrc', { name: 'demo LRC student', teacher: { runId: teacher.id }, student: DEMO.student, optim: studentOptim, ...studentData });
  const lrc = createRunFromConfig(ctx, lrcRaw, 'demo LRC student');
  const mse = createRunFromConfig(ctx, { ...lrcRaw, kind: 'mse', name: 'demo MSE baseline', pairedRunId: lrc.record.id }, 'demo MSE baseline');
  updateRun(lrc.dir, (r) => ({ ...r, pairedRunId: mse.record.id }));
  const alone = createRunFromConfig(ctx, baseConfig(ctx, 'student', { name: 'demo student alone', student: DEMO.student, optim: studentOptim, tokenizer: join(teacherRun.dir, 'export'), ...studentData }), 'demo student alone');
  const results: [string, RunRecord, string][] = [['teacher', teacher, teacherRun.dir]];
  const students = [['LRC student', lrc], ['MSE-baseline student', mse], ['student alone', alone]] as const;
  if (workers > 1) {
    console.log(`The three students train side by side in ${Math.min(workers, students.length)} processes.`);
    const done = await runInChildProcesses(students.map(([, run]) => run.dir), {
      runsDir: ctx.runsDir,
      workers,
      env: { LRC_THREADS: ctx.flags.threads, LRC_TEACHER_CACHE: ctx.flags['teacher-cache'], LRC_TEACHER_STORE: ctx.flags['teacher-store'], LRC_TEACHER_STORE_DTYPE: ctx.flags['teacher-store-dtype'] },
      line: (l) => console.log(l),
    });
    const unfinished = done.find((r) => r.status !== 'finished');
    if (unfinished) return unfinished.status === 'stopped' || unfinished.status === 'queued' ? EXIT.interrupted : EXIT.runFailed;
    students.forEach(([name, run], i) => results.push([name, done[i], run.dir]));
  } else {
    for (const [name, run] of students) {
      const done = await runSession(ctx, run.dir, false);
      if (done.status !== 'finished') return done.status === 'stopped' ? EXIT.interrupted : EXIT.runFailed;
      results.push([name, done, run.dir]);
    }
  }

  // the case analysis of the LRC student against its MSE baseline
  await runPairedAnalysis(lrc.dir, mse.dir, (m) => console.log(m));

  // 4. evaluate and summarise
  const rows: Row[] = [];
  for (const [name, , dir] of results) rows.push(await measure(name, readRun(dir), dir));
  const minutes = (Date.now() - t0) / 60000;
  console.log(`\n${table(rows)}\n\nDemo finished in ${minutes.toFixed(1)} minutes. Runs: ${results.map(([n, r]) => `${n} ${r.id}`).join(', ')}.`);
  console.log(`Open the runs folder in VS Code with the LRC Distill extension to see the curves, heatmaps and cases.`);
  return EXIT.ok;
}
