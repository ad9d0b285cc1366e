// The sweep files of experiments/sweeps/ say what the experiments of docs/results.md ran: each adopts
// every run of its results folder (experiments/results-<sweep>/, with experiments/records/), and the
// config it plans for each adopted run is the config the retired shell scripts made with their CLI
// flags (written out below as the scripts had them), but for the run's name, its teacher's id and its
// paired run. No data is read: plans validate configs, and GLUE paths are only strings to them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { baselineConfigOf, parseRunConfig } from '../../../trainer/config/effective';
import { configFromFlags, type Flags } from '../../../trainer/cli/options';
import { DEMO } from '../../../trainer/cli/demo';
import { adoptRuns, readAdoptableRuns } from '../../../trainer/sweep/adopt';
import { planSweep, type SweepPlan } from '../../../trainer/sweep/plan';
import { readSweepFile } from '../../../trainer/sweep/sweepFile';

const root = join(__dirname, '..', '..', '..');
const experiments = join(root, 'experiments');
const sweepFile = (name: string) => join(experiments, 'sweeps', `${name}.sweep.json`);
// Where the sweep files' relative paths lead (/work/shared/data/... in this checkout, what the scripts ran with).
const GLUE = resolve(experiments, 'sweeps', '../../../shared/data/glue');
const TOK = resolve(experiments, 'sweeps', '../../../shared/data/bert-base-uncased');
const TEACHER_CONFIG = join(experiments, 'configs', 'teacher-4x128.json');
const STUDENT_CONFIG = join(experiments, 'configs', 'student-2x24.json');

/** lib.sh's task_args: each task's data flags, epochs and input length. */
const TASK_FLAGS: Record<string, Flags> = {
  'SST-2': { task: 'glue:SST-2', 'glue-dir': GLUE, 'max-train': '20000' },
  MRPC: { task: 'glue:MRPC', 'glue-dir': GLUE, epochs: '5' },
  CoLA: { task: 'glue:CoLA', 'glue-dir': GLUE, epochs: '5' },
  RTE: { task: 'glue:RTE', 'glue-dir': GLUE, epochs: '6', 'max-length': '128' },
  'STS-B': { task: 'glue:STS-B', 'glue-dir': GLUE, epochs: '5' },
  SpamAssassin: { task: 'demo' },
};
/** lib.sh's DEMO_STUDENT: the demo's students through the CLI. */
const DEMO_STUDENT: Flags = { task: 'demo', 'max-train': '500', epochs: '10', 'batch-size': '16', lr: '1e-3', 'max-length': '64', 'eval-every': '64', layers: '2', hidden: '64', heads: '4', ffn: '256' };
const DEMO_TOKENIZER = join(experiments, 'tokenizers', 'spamassassin-6000');

type Member = { role: 'teacher' | 'run'; cell: Record<string, string>; seed?: number; kind: string };

/** task.sh: the teacher, `distill --baseline` (LRC, and its MSE baseline from it) and the student alone. */
function mainComparison(m: Member, task: Flags, student: Flags = {}): Record<string, unknown> {
  if (m.role === 'teacher') return configFromFlags('teacher', { config: TEACHER_CONFIG, ...TASK_FLAGS[m.cell.task], tokenizer: TOK });
  const seed = { seed: String(m.seed) };
  if (m.kind === 'student') return configFromFlags('student', { config: STUDENT_CONFIG, ...task, ...student, tokenizer: TOK, ...seed });
  const lrc = configFromFlags('lrc', { config: STUDENT_CONFIG, ...task, ...student, ...seed });
  return m.kind === 'mse' ? baselineConfigOf(parseRunConfig({ ...lrc, teacher: { runId: 't' } })) : lrc;
}

/** ablations-demo.sh: `lrc-distill demo`'s teacher, then DEMO_STUDENT with --no-analysis for the distilled ones. */
function demoSetting(m: Member, extra: Flags = {}): Record<string, unknown> {
  if (m.role === 'teacher') {
    return configFromFlags('teacher', { task: 'demo' }, { maxLength: DEMO.maxLength, builtVocabSize: DEMO.builtVocabSize, eval: { everySteps: DEMO.evalEvery }, model: DEMO.teacher, optim: DEMO.teacherOptim });
  }
  const seed = { seed: String(m.seed) };
  if (m.kind === 'student') return configFromFlags('student', { ...DEMO_STUDENT, tokenizer: DEMO_TOKENIZER, ...seed });
  const lrc = configFromFlags('lrc', { ...DEMO_STUDENT, 'no-analysis': true, ...seed, ...extra });
  return m.kind === 'mse' ? baselineConfigOf(parseRunConfig({ ...lrc, teacher: { runId: 't' } })) : lrc;
}

const preset = (m: Member): Flags => (m.cell.method && !['LRC', 'MSE', 'alone', 'full'].includes(m.cell.method) ? { preset: m.cell.method } : {});

/** What each retired script ran for a member of the sweep, as the CLI's config. */
const SCRIPTS: Record<string, (m: Member) => Record<string, unknown>> = {
  'glue-main': (m) => mainComparison(m, TASK_FLAGS[m.cell.task]),
  // ablations.sh: distill --preset p --no-analysis; the full method is task.sh's LRC run.
  'glue-ablations': (m) => (m.role === 'run' && preset(m).preset ? configFromFlags('lrc', { config: STUDENT_CONFIG, ...TASK_FLAGS[m.cell.task], seed: String(m.seed), ...preset(m), 'no-analysis': true }) : mainComparison(m, TASK_FLAGS[m.cell.task])),
  // sst2-lowlabel.sh and lowlabel.sh: the task's flags, then --max-train N --epochs 10 --eval-every 100000.
  'lowlabel-sst2': (m) => mainComparison(m, { task: 'glue:SST-2', 'glue-dir': GLUE, 'max-train': '2000' }, { epochs: '10', 'eval-every': '100000' }),
  'lowlabel-cola': (m) => mainComparison(m, TASK_FLAGS.CoLA, { 'max-train': '855', epochs: '10', 'eval-every': '100000' }),
  'lowlabel-stsb': (m) => mainComparison(m, TASK_FLAGS['STS-B'], { 'max-train': '575', epochs: '10', 'eval-every': '100000' }),
  demo: (m) => demoSetting(m, preset(m)),
  // epsilon-demo.sh: --preset no-cosnce --epsilon e (epsilon 1: the demo sweep's no-cosnce run, without --epsilon).
  'demo-epsilon': (m) => demoSetting(m, { preset: 'no-cosnce', ...(m.cell['stages.epsilon'] === '1' ? {} : { epsilon: m.cell['stages.epsilon'] }) }),
  // diagnose-no-cosnce.sh: SST-2 on 5,000 sentences, --preset no-cosnce --epsilon e --eval-every 200 --no-analysis, no --seed.
  'diagnose-no-cosnce': (m) => (m.role === 'teacher' ? mainComparison(m, TASK_FLAGS['SST-2'])
    : configFromFlags('lrc', { config: STUDENT_CONFIG, task: 'glue:SST-2', 'glue-dir': GLUE, 'max-train': '5000', preset: 'no-cosnce', epsilon: m.cell['stages.epsilon'], 'eval-every': '200', 'no-analysis': true })),
  // task.sh STS-B before the regression fix: the fresh output's bias was 0, which regressionBias 'zero' is now.
  'stsb-zero-bias': (m) => ({ ...mainComparison(m, TASK_FLAGS['STS-B']), regressionBias: 'zero' }),
  // task.sh's teachers trained again.
  reruns: (m) => mainComparison({ ...m, role: 'teacher' }, TASK_FLAGS[m.cell.task]),
};

/** A config without what differs from run to run of one experiment: its name, its teacher's id, its paired run. */
function comparable(config: Record<string, unknown>, what: string): Record<string, unknown> {
  const parsed = parseRunConfig({ ...config, ...(config.kind === 'lrc' || config.kind === 'mse' ? { teacher: { runId: 't' } } : {}) }, what) as Record<string, unknown>;
  delete parsed.name;
  delete parsed.teacher;
  delete parsed.pairedRunId;
  return JSON.parse(JSON.stringify(parsed)) as Record<string, unknown>; // a field set to undefined is one left out
}

function adopted(name: string): { plan: SweepPlan; adoption: ReturnType<typeof adoptRuns>; results: number } {
  const file = sweepFile(name);
  const plan = planSweep(readSweepFile(file), file, name);
  const runs = readAdoptableRuns(join(experiments, `results-${name}`), join(experiments, 'records'));
  return { plan, adoption: adoptRuns(plan, runs, file), results: runs.length };
}

/** Sweep -> [teachers planned, runs planned, runs adopted (teachers adopted: all)]. */
const EXPECTED: Record<string, [number, number, number]> = {
  'glue-main': [6, 54, 51],
  'glue-ablations': [3, 54, 36],
  'lowlabel-sst2': [1, 9, 9],
  'lowlabel-cola': [1, 9, 9],
  'lowlabel-stsb': [1, 9, 9],
  demo: [1, 24, 24],
  'demo-epsilon': [1, 5, 5],
  'diagnose-no-cosnce': [1, 2, 2],
  'stsb-zero-bias': [1, 6, 6],
  reruns: [0, 3, 3],
};

for (const [name, [teachers, runs, adoptedRuns]] of Object.entries(EXPECTED)) {
  test(`${name}: adopts every run of experiments/results-${name}, each planned with the config its script ran`, () => {
    const { plan, adoption, results } = adopted(name);
    assert.equal(plan.teachers.length, teachers);
    assert.equal(plan.runs.length, runs);
    assert.equal(results, adoption.size, 'every result adopted');
    assert.equal(plan.teachers.filter((t) => adoption.has(t.key)).length, teachers, 'every teacher adopted');
    assert.equal(plan.runs.filter((r) => adoption.has(r.key)).length, adoptedRuns);
    const members = [
      ...plan.teachers.map((t) => ({ key: t.key, name: t.name, config: t.config, member: { role: 'teacher' as const, cell: t.cell, kind: 'teacher' } })),
      ...plan.runs.map((r) => ({ key: r.key, name: r.name, config: r.config, member: { role: 'run' as const, cell: r.cell, seed: r.seed, kind: r.config.kind as string } })),
    ];
    for (const m of members.filter((x) => adoption.has(x.key))) {
      const ran = SCRIPTS[name](m.member);
      assert.deepEqual(comparable(m.config, m.name), comparable(ran, `${m.name} (script)`), `${m.name}: the planned config is the script's (adopted ${adoption.get(m.key)!.record.name})`);
    }
  });
}

test('the GLUE paths of a sweep file are strings to the plan: it plans without the files', () => {
  const plan = planSweep(readSweepFile(sweepFile('glue-main')), join(root, 'nowhere', 'deeper', 'glue-main.sweep.json'), 'glue-main');
  const data = plan.teachers[0].config.data as { dir: string };
  assert.equal(data.dir, resolve(root, 'nowhere', 'deeper', '../../../shared/data/glue'));
});
