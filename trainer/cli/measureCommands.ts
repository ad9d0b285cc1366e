// The serving-cost commands (issue 23): `measure <run>` measures one run's export again; `sweep measure
// <sweep>` every export of a sweep (teachers too) one after another in this one process, so that the
// speed-ups are ratios measured alike; `sweep export-recommended <sweep> --out <dir>` writes the model
// the report's rule recommends as a Hugging Face folder (the `export` command's code).
import { join, resolve } from 'node:path';
import { selectProcessBackend } from '../backend/processBackend';
import { InputError, shown, UserError } from '../errors';
import { findRunDir, readRun } from '../runs/runStore';
import { DEFAULT_SETTINGS, type MeasureSettings } from '../serving/measure';
import { costLine, measureRun, SERVED_KINDS } from '../serving/measureRun';
import { frontOf } from '../sweep/report/front';
import { parseRule } from '../sweep/report/frontRule';
import { reportInputOf } from '../sweep/reportInput';
import { membersOf } from '../sweep/sweepRecord';
import { defaultSweepsDir, findSweepDir, readSweep } from '../sweep/sweepStore';
import { checkExportTarget, exportCommand } from './inspectCommands';
import { EXIT, resumeBackend, type CliContext } from './runCommands';

/** --serving-batch: the examples of a throughput pass (default 32). */
export function servingSettings(ctx: CliContext): MeasureSettings {
  const v = ctx.flags['serving-batch'];
  if (v === undefined) return DEFAULT_SETTINGS;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 4096) throw new InputError({ field: '--serving-batch', expected: 'a whole number of examples from 1 to 4096 (default 32)', found: shown(v) });
  return { ...DEFAULT_SETTINGS, batch: n };
}

const backendOfFlags = (ctx: CliContext) => selectProcessBackend(resumeBackend(ctx.flags.backend, 'auto'), ctx.flags.threads);

/** measure <run>: the run's export measured now, on the best backend, recorded in its serving.json. */
export async function measureCommand(ctx: CliContext): Promise<number> {
  const id = ctx.positionals[0];
  if (!id) throw new UserError('measure needs a run: lrc-distill measure <run> [--serving-batch N] [--json]', 'run');
  if (ctx.positionals.length > 1) throw new UserError(`measure takes one run, got ${ctx.positionals.length}: ${ctx.positionals.join(' ')} (sweep measure <sweep> measures a sweep's)`, 'run');
  const settings = servingSettings(ctx);
  const dir = findRunDir(ctx.runsDir, id);
  const backend = await backendOfFlags(ctx);
  const cost = await measureRun(dir, { trigger: 'measure', beside: null, backend, settings });
  console.log(ctx.flags.json ? JSON.stringify(cost, null, 2) : `${readRun(dir).id}: ${costLine(cost)}; recorded in ${join(dir, 'serving.json')}`);
  return EXIT.ok;
}

const sweepsDirOf = (ctx: CliContext, runsDir: string) => resolve(ctx.flags.sweeps ?? defaultSweepsDir(runsDir));

/** sweep measure <sweep>: every finished teacher and run of the sweep, one after another in this process. */
export async function sweepMeasureCommand(ctx: CliContext, ref: string | undefined): Promise<number> {
  if (!ref) throw new UserError('sweep measure needs a sweep: lrc-distill sweep measure <sweep id, name or folder>', 'sweep');
  const settings = servingSettings(ctx);
  const sweep = readSweep(findSweepDir(sweepsDirOf(ctx, ctx.runsDir), ref));
  const members = membersOf(sweep).filter((m) => m.role !== 'general');
  const backend = await backendOfFlags(ctx);
  console.log(`sweep ${sweep.id}: measuring the exports of ${members.length} teacher(s) and run(s) one after another on ${backend.backend} (${backend.device})`);
  const started = performance.now();
  let measured = 0;
  let failed = 0;
  for (const m of members) {
    const dir = join(sweep.runsDir, m.runId);
    let status: string;
    try {
      const run = readRun(dir);
      status = run.status;
      if (!(SERVED_KINDS as readonly string[]).includes(run.kind) || run.status !== 'finished') {
        console.log(`  skip    ${m.name} (${m.runId}): ${run.status}${run.status === 'finished' ? `, a ${run.kind} run` : ''}`);
        continue;
      }
    } catch {
      console.log(`  skip    ${m.name} (${m.runId}): no run folder`);
      continue;
    }
    try {
      const cost = await measureRun(dir, { trigger: 'sweep-measure', beside: null, backend, settings });
      measured++;
      console.log(`  ${m.role === 'teacher' ? 'teacher' : 'run    '} ${m.name} (${m.runId}): ${costLine(cost)}`);
    } catch (e) {
      failed++;
      console.log(`  failed  ${m.name} (${m.runId}, ${status}): ${(e as Error).message}`);
    }
  }
  console.log(`measured ${measured} export(s) in ${((performance.now() - started) / 1000).toFixed(1)} s${failed ? `, ${failed} failed` : ''}; lrc-distill sweep report ${sweep.id} shows the front`);
  return failed ? EXIT.runFailed : EXIT.ok;
}

/** sweep export-recommended <sweep> --out <dir> [--task T] [--dtype f32|f16] [--rule R]. */
export async function exportRecommendedCommand(ctx: CliContext, ref: string | undefined): Promise<number> {
  if (!ref || !ctx.flags.out) throw new UserError('sweep export-recommended needs a sweep and a target: lrc-distill sweep export-recommended <sweep> --out <folder> [--task T] [--dtype f32|f16] [--rule R]', 'sweep');
  const rule = parseRule(ctx.flags.rule);
  checkExportTarget(resolve(ctx.flags.out));
  const sweep = readSweep(findSweepDir(sweepsDirOf(ctx, ctx.runsDir), ref));
  const front = frontOf(reportInputOf(sweep), rule);
  const names = front.tasks.map((t) => t.task);
  let task = front.tasks[0];
  if (ctx.flags.task !== undefined) {
    const found = front.tasks.find((t) => t.task === ctx.flags.task);
    if (!found) throw new InputError({ field: '--task', expected: `a task of sweep ${sweep.id} (${names.filter(Boolean).join(', ') || 'it has no task axis'})`, found: shown(ctx.flags.task) });
    task = found;
  } else if (front.tasks.length > 1) {
    throw new InputError({ field: '--task', expected: `one of the sweep's tasks: ${names.join(', ')}`, found: 'nothing' });
  }
  if (!task || task.recommended === null) throw new UserError(`sweep ${sweep.id}${task?.task ? `, task ${task.task}` : ''}: nothing to export: ${task?.reason ?? 'no runs'}`, 'sweep');
  const cell = task.cells[task.recommended];
  // of the cell's seeds, the finished one with the best score (the first seed among equals)
  const seed = cell.seeds.filter((s) => s.status === 'finished' && Number.isFinite(s.score)).reduce((a, b) => (b.score > a.score ? b : a));
  console.log(`recommended for ${task.task || 'the sweep'} (rule ${rule.text}): ${cell.label}: ${task.reason}`);
  console.log(`its best seed: ${seed.seed} (${seed.runId}, ${task.primary ?? 'score'} ${seed.score.toFixed(4)})`);
  return exportCommand({ ...ctx, runsDir: sweep.runsDir, positionals: [seed.runId] });
}
