// `lrc-distill sweep adopt <sweep file> --results <folder> [--records <folder>]`: a sweep folder made of
// runs that already ran (their `eval --json` scores in the results folder, their records in the records
// folder, default `records/` beside the results folder), so that `sweep report` prints their tables
// although their run folders are gone. The sweep file is planned as `sweep <file>` plans it (every run
// config validated); each record is matched to the planned run it was (trainer/sweep/adopt.ts), a general
// run by its record alone (the record of the run a student started from); nothing is trained. Planned
// runs without a record stay queued.
import { basename, dirname, extname, join, resolve } from 'node:path';
import { UserError } from '../server';
import { adoptRuns, readAdoptableRuns, writeAdoptedSweep } from '../sweep/adopt';
import { planSweep } from '../sweep/plan';
import { readSweepFile } from '../sweep/sweepFile';
import { defaultSweepsDir } from '../sweep/sweepStore';
import { EXIT, type CliContext } from './runCommands';

export function adoptCommand(ctx: CliContext, fileArg: string | undefined): number {
  if (!fileArg) throw new UserError('sweep adopt needs a sweep file: lrc-distill sweep adopt <file.json> --results <folder> [--records <folder>]', 'sweep');
  if (!ctx.flags.results) throw new UserError('sweep adopt needs --results <folder of eval --json outputs, <run id>.json>', '--results');
  const file = resolve(fileArg);
  const resultsDir = resolve(ctx.flags.results);
  const recordsDir = resolve(ctx.flags.records ?? join(dirname(resultsDir), 'records'));
  const spec = readSweepFile(file);
  const plan = planSweep(spec, file, basename(file, extname(file)));
  const adoption = adoptRuns(plan, readAdoptableRuns(resultsDir, recordsDir), file);
  const sweepsDir = resolve(ctx.flags.sweeps ?? defaultSweepsDir(ctx.runsDir));
  const { dir, record } = writeAdoptedSweep(sweepsDir, {
    plan, file, cwd: process.cwd(), runsDir: ctx.runsDir, executor: 'local', slurm: spec.slurm, workers: spec.local.workers,
    adoption, recordsDir, resultsDir,
  });
  const adopted = (members: { key: string }[]) => members.filter((m) => adoption.has(m.key)).length;
  const waiting = plan.runs.filter((r) => !adoption.has(r.key));
  const generals = plan.generals.length ? ` and ${adopted(plan.generals)} of ${plan.generals.length} general run(s)` : '';
  console.log(`sweep ${record.id}: adopted ${adopted(plan.runs)} of ${plan.runs.length} run(s), ${adopted(plan.teachers)} of ${plan.teachers.length} teacher(s)${generals} from ${resultsDir} (records: ${recordsDir}); folder ${dir}`);
  for (const t of [...plan.teachers, ...plan.generals].filter((t) => !adoption.has(t.key))) console.log(`  waiting  ${t.name} (no record)`);
  for (const r of waiting) console.log(`  waiting  ${r.name} (no record)`);
  console.log(`the tables: lrc-distill sweep report ${record.name}`);
  return EXIT.ok;
}
