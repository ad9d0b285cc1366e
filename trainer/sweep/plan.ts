// From a sweep file to the runs it asks for: every combination of its axes (in file order) is one run
// whose config is `base`, `students` and each axis's patch laid over one another; teachers are one per
// combination of their `per` axes. Every config is validated here, so a bad axis, level or field is
// refused before any folder is created or any job submitted. Pure: no files are read or written.
import { resolve } from 'node:path';
import { absoluteConfigPaths } from '../config/configPaths';
import { parseRunConfig } from '../config/effective';
import { UserError } from '../server';
import { deepMerge, patchAt, type Json } from '../util/deepMerge';
import type { Resources, SweepFile } from './sweepFile';

export const SEED_AXIS = 'seed';
/** A run's studentInit that names its cell's general run (replaced by that run's export folder). */
export const GENERAL_MARK = '(general)';
/** Fields of a task run that a general run does not take from base, students and the axes' levels. */
const TASK_FIELDS = new Set(['kind', 'name', 'data', 'teacher', 'preset', 'studentInit', 'init', 'model', 'pairedRunId', 'regressionBias', 'pretraining']);

export interface SweepAxis {
  name: string;
  /** 'levels': named levels, each a config patch; 'values': values of the config field the name gives. */
  type: 'levels' | 'values';
  /** Level labels in file order (a value axis: each value as text). */
  levels: string[];
  /** The config patch of each level, by label. */
  patches: Map<string, Json>;
}

export interface PlannedTeacher {
  key: string;
  name: string;
  /** The levels of the teacher's `per` axes. */
  cell: Record<string, string>;
  config: Json;
  /** Borrowed, not trained: the finished teacher of the same levels in this sweep (id or name). */
  fromSweep?: string;
}

export interface PlannedRun {
  key: string;
  name: string;
  /** The run's levels on every axis but the seed. */
  cell: Record<string, string>;
  seed: number;
  config: Json;
  /** The planned teacher it learns from (its config's teacher.runId is set when the teacher's folder exists). */
  teacherKey?: string;
  /** The planned general run its student starts from (studentInit "(general)"). */
  generalKey?: string;
  /** The run it is paired with (an LRC run and its MSE baseline of the same cell and seed). */
  pairKey?: string;
}

export interface SweepPlan {
  name: string;
  axes: SweepAxis[];
  seeds: number[];
  teachers: PlannedTeacher[];
  /** General-distillation runs (kind 'general'), trained with the teachers, before the runs. */
  generals: PlannedTeacher[];
  runs: PlannedRun[];
  comparisons: { name: string; axis: string; a: string; b: string }[];
  resources: { teacher: Resources; student: Resources };
}

/** Config fields that name files, resolved against the sweep file's folder. */
/** A sweep file's paths: relative to its folder, "~/" in the home folder (trainer/config/configPaths.ts). */
const resolvePaths = (config: Json, baseDir: string): Json => absoluteConfigPaths(config, baseDir, (p) => p === GENERAL_MARK);

/** The `exclude` entries, checked against the axes: a predicate that says whether a cell is left out. */
function exclusionOf(file: SweepFile, axes: SweepAxis[], source: string): (cell: Record<string, string>) => boolean {
  const entries = file.exclude.map((entry, i) =>
    Object.entries(entry).map(([name, value]) => {
      const axis = axes.find((a) => a.name === name);
      if (!axis || name === SEED_AXIS) throw new UserError(`${source}: exclude.${i}.${name}: no axis '${name}' to exclude on (axes: ${axes.filter((a) => a.name !== SEED_AXIS).map((a) => a.name).join(', ')})`, `exclude.${i}.${name}`);
      const levels = Array.isArray(value) ? value : [value];
      const bad = levels.find((l) => !axis.levels.includes(l));
      if (bad !== undefined) throw new UserError(`${source}: exclude.${i}.${name}: axis '${name}' has no level '${bad}' (levels: ${axis.levels.join(', ')})`, `exclude.${i}.${name}`);
      return { name, levels };
    }),
  );
  return (cell) => entries.some((entry) => entry.every(({ name, levels }) => levels.includes(cell[name])));
}

function axesOf(file: SweepFile, source: string): SweepAxis[] {
  return Object.entries(file.axes).map(([name, axis]) => {
    if (Array.isArray(axis)) {
      const levels = axis.map(String);
      const dup = levels.find((l, i) => levels.indexOf(l) !== i);
      if (dup !== undefined) throw new UserError(`${source}: axes.${name}: the value ${dup} is given twice`, `axes.${name}`);
      if (name === SEED_AXIS && !axis.every((v) => typeof v === 'number' && Number.isInteger(v) && v >= 0)) {
        throw new UserError(`${source}: axes.seed: seeds must be whole numbers >= 0, got ${JSON.stringify(axis)}`, 'axes.seed');
      }
      return { name, type: 'values' as const, levels, patches: new Map(axis.map((v) => [String(v), patchAt(name, v)])) };
    }
    if (name === SEED_AXIS) throw new UserError(`${source}: axes.seed: the seed axis is a list of seeds, e.g. [42, 7, 13]`, 'axes.seed');
    return { name, type: 'levels' as const, levels: Object.keys(axis), patches: new Map(Object.entries(axis)) };
  });
}

/** Every combination of the axes' levels, the first axis varying slowest. */
function combinations(axes: SweepAxis[]): Record<string, string>[] {
  return axes.reduce<Record<string, string>[]>((acc, axis) => acc.flatMap((c) => axis.levels.map((l) => ({ ...c, [axis.name]: l }))), [{}]);
}

const cellText = (cell: Record<string, string>, axes: SweepAxis[]) =>
  axes.filter((a) => a.name in cell).map((a) => (a.type === 'values' ? `${a.name}=${cell[a.name]}` : cell[a.name])).join(' ');

export const cellKey = (cell: Record<string, string>) => Object.entries(cell).map(([k, v]) => `${k}=${v}`).join(',');

function checkComparisons(file: SweepFile, axes: SweepAxis[], source: string): SweepPlan['comparisons'] {
  return file.compare.map((c, i) => {
    const axis = axes.find((a) => a.name === c.axis);
    if (!axis || axis.name === SEED_AXIS) throw new UserError(`${source}: compare.${i}.axis: no axis '${c.axis}' to compare on (axes: ${axes.filter((a) => a.name !== SEED_AXIS).map((a) => a.name).join(', ')})`, `compare.${i}.axis`);
    for (const side of ['a', 'b'] as const) {
      if (!axis.levels.includes(c[side])) throw new UserError(`${source}: compare.${i}.${side}: axis '${c.axis}' has no level '${c[side]}' (levels: ${axis.levels.join(', ')})`, `compare.${i}.${side}`);
    }
    return { name: c.name ?? `${c.a} - ${c.b}`, axis: c.axis, a: c.a, b: c.b };
  });
}

export function planSweep(file: SweepFile, source: string, fallbackName: string): SweepPlan {
  const baseDir = resolve(source, '..');
  const name = file.name ?? fallbackName;
  const axes = axesOf(file, source);
  const seedAxis = axes.find((a) => a.name === SEED_AXIS);
  const cellAxes = axes.filter((a) => a.name !== SEED_AXIS);
  const comparisons = checkComparisons(file, axes, source);
  const excluded = exclusionOf(file, axes, source);
  const validate = (config: Json, what: string) => parseRunConfig(config, `${source}: ${what}`);

  // teachers: one per combination of the `per` axes
  const teachers: PlannedTeacher[] = [];
  let perAxes: SweepAxis[] = [];
  if (file.teacher) {
    const per = file.teacher.per ?? (cellAxes.some((a) => a.name === 'task') ? ['task'] : []);
    perAxes = per.map((n, i) => {
      const axis = cellAxes.find((a) => a.name === n);
      if (!axis) throw new UserError(`${source}: teacher.per.${i}: no axis '${n}'${n === SEED_AXIS ? ' (a teacher is trained once for all seeds)' : ''} (axes: ${cellAxes.map((a) => a.name).join(', ')})`, `teacher.per.${i}`);
      return axis;
    });
    if ('teacher' in file.base || 'teacher' in file.students) throw new UserError(`${source}: teacher: the sweep trains its teachers, so base.teacher / students.teacher must not name another`, 'teacher');
    for (const cell of combinations(perAxes)) {
      const patches = perAxes.map((a) => a.patches.get(cell[a.name])!);
      const config = resolvePaths([file.base, ...patches, file.teacher.config, { kind: 'teacher' }].reduce((c, p) => deepMerge(c, p), {}), baseDir);
      const tname = `${name} ${cellText(cell, perAxes)} teacher`.replace(/\s+/g, ' ');
      config.name = tname;
      // a borrowed teacher is not trained here: its own config is the other sweep's (borrowTeachers.ts)
      if (!file.teacher.fromSweep) validate(config, `teacher ${cellKey(cell) || '(one for all runs)'}`);
      teachers.push({ key: `teacher:${cellKey(cell)}`, name: tname, cell, config, ...(file.teacher.fromSweep ? { fromSweep: file.teacher.fromSweep } : {}) });
    }
  }

  // general runs: one per combination of their `per` axes, without the task fields
  const generals: PlannedTeacher[] = [];
  let generalAxes: SweepAxis[] = [];
  if (file.general) {
    generalAxes = file.general.per.map((n, i) => {
      const axis = cellAxes.find((a) => a.name === n);
      if (!axis) throw new UserError(`${source}: general.per.${i}: no axis '${n}'${n === SEED_AXIS ? ' (a general run serves every seed)' : ''} (axes: ${cellAxes.map((a) => a.name).join(', ')})`, `general.per.${i}`);
      return axis;
    });
    const untask = (p: Json): Json => Object.fromEntries(Object.entries(p).filter(([k]) => !TASK_FIELDS.has(k)));
    for (const cell of combinations(generalAxes)) {
      const patches = generalAxes.map((a) => untask(a.patches.get(cell[a.name])!));
      const config = resolvePaths([untask(file.base), untask(file.students), ...patches, file.general.config, { kind: 'general' }].reduce((c, p) => deepMerge(c, p), {}), baseDir);
      const gname = `${name} ${cellText(cell, generalAxes)} general`.replace(/\s+/g, ' ');
      config.name = gname;
      validate(config, `general ${cellKey(cell) || '(one for all runs)'}`);
      generals.push({ key: `general:${cellKey(cell)}`, name: gname, cell, config });
    }
  }

  // runs: every combination of all axes
  const runs: PlannedRun[] = [];
  for (const cell of combinations(cellAxes).filter((c) => !excluded(c))) {
    for (const seedLabel of seedAxis?.levels ?? [undefined]) {
      const patches = cellAxes.map((a) => a.patches.get(cell[a.name])!);
      if (seedAxis && seedLabel !== undefined) patches.push(seedAxis.patches.get(seedLabel)!);
      let config = resolvePaths([file.base, file.students, ...patches].reduce((c, p) => deepMerge(c, p), {}), baseDir);
      const what = `run ${cellKey(cell)}${seedLabel !== undefined ? ` seed=${seedLabel}` : ''}`;
      if (typeof config.kind !== 'string') throw new UserError(`${source}: ${what}: no "kind" (give it in base, students or an axis level: lrc, mse, student, teacher, pretrain, general)`, 'kind');
      let teacherKey: string | undefined;
      if (file.teacher && config.kind !== 'teacher' && config.kind !== 'pretrain') {
        teacherKey = `teacher:${cellKey(Object.fromEntries(perAxes.map((a) => [a.name, cell[a.name]])))}`;
        if (config.kind === 'lrc' || config.kind === 'mse') config = { ...config, teacher: { runId: `(${teacherKey})` } };
      }
      let generalKey: string | undefined;
      if (config.studentInit === GENERAL_MARK) {
        if (!file.general) throw new UserError(`${source}: ${what}: studentInit "${GENERAL_MARK}" starts from the sweep's general run, but the sweep file has no "general" stage`, 'studentInit');
        generalKey = `general:${cellKey(Object.fromEntries(generalAxes.map((a) => [a.name, cell[a.name]])))}`;
      }
      const seed = seedLabel !== undefined ? Number(seedLabel) : (validate(config, what).seed as number);
      const rname = `${name} ${cellText(cell, cellAxes)}${seedAxis ? ` seed ${seed}` : ''}`.replace(/\s+/g, ' ').trim();
      config.name = rname;
      validate(config, what);
      runs.push({ key: `${cellKey(cell)}|seed=${seed}`, name: rname, cell, seed, config, teacherKey, generalKey });
    }
  }
  pairBaselines(runs, comparisons);
  // a teacher or general run that no planned run learns from (every run of its task excluded) is not trained
  const teachersUsed = teachers.filter((t) => runs.some((r) => r.teacherKey === t.key));
  const generalsUsed = generals.filter((g) => runs.some((r) => r.generalKey === g.key));
  if (file.exclude.length) {
    teachers.splice(0, teachers.length, ...teachersUsed);
    generals.splice(0, generals.length, ...generalsUsed);
  }
  const student = file.resources;
  return { name, axes: cellAxes, seeds: seedAxis ? seedAxis.levels.map(Number) : [], teachers, generals, runs, comparisons, resources: { student, teacher: { ...student, ...file.teacher?.resources, ...file.general?.resources } } };
}

/** An LRC run and the MSE run that differs from it only on a compared axis (same seed) point at each other. */
function pairBaselines(runs: PlannedRun[], comparisons: SweepPlan['comparisons']): void {
  for (const c of comparisons) {
    for (const a of runs.filter((r) => r.cell[c.axis] === c.a && r.config.kind === 'lrc')) {
      const b = runs.find((r) => r.cell[c.axis] === c.b && r.config.kind === 'mse' && r.seed === a.seed && Object.keys(a.cell).every((k) => k === c.axis || r.cell[k] === a.cell[k]));
      if (b && !a.pairKey && !b.pairKey) {
        a.pairKey = b.key;
        b.pairKey = a.key;
      }
    }
  }
}
