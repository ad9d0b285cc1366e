// `lrc-distill`: everything the extension does, headless, on the same run folders.
// Exit codes: 0 done, 1 a run failed, 2 bad usage or input, 130 interrupted (the run checkpointed).
// Bad usage or input is one line on stderr (trainer/errors.ts; the stack only with --debug or LRC_DEBUG=1).
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { cliErrorReport, UserError } from './errors';
import { FLAGS, type Flags } from './cli/options';
import { analyzeCommand, distillCommand, EXIT, generalCommand, resumeCommand, trainCommand, type CliContext } from './cli/runCommands';
import { controlCommand, evalCommand, exportCommand, runsCommand } from './cli/inspectCommands';
import { demoCommand } from './cli/demo';
import { sweepCommand, sweepTaskCommand } from './cli/sweepCommands';
import { measureCommand } from './cli/measureCommands';
import { teacherStoreCommand } from './cli/teacherStoreCommands';
import { setupNativeCommand } from './cli/setupNativeCommand';

const USAGE = `lrc-distill <command> [options]

Commands
  demo                      fine-tune a teacher on the bundled SpamAssassin task, distil an LRC student and
                            its MSE baseline, train the student alone, evaluate, export, print a summary
                            (--workers N: the students side by side in N processes, default the cores)
  pretrain                  pre-train a BERT by masked-language modelling on the task's texts (labels unused;
                            --mask-probability, default 0.15); its run id or export folder is an --init
  train-teacher             fine-tune a teacher on a task (--layers --hidden --heads --ffn give its shape;
                            --init <folder or run> starts from a pre-trained BERT with a fresh task head)
  train-student             train the student shape on the task alone, without a teacher
  distill --teacher <t>     distil a student with LRC-BERT; <t> is a Hugging Face folder or a teacher run id
        --baseline          also run the paired MSE baseline (same config, MSE on the intermediate layers)
        --loss mse          the MSE baseline alone
        --preset <p>        an ablation: no-cosnce, no-soft, no-hard, no-perturbation, single-stage
        --student-init <r>  start the student from a general run (id) or a BERT folder; projections fresh
  distill-general --teacher <t> --corpus <files or folders>   general distillation: COS-NCE between the
                            student's mapped layers and a pre-trained teacher's on unlabelled text, no labels,
                            no prediction layer; exports a BertModel folder (docs/general-distillation.md)
        --corpus-text lines|documents   .txt: a passage a line, or blank-line separated documents in windows
        --corpus-field <f>  .jsonl: the text field (default text); --corpus-column <c> .tsv/.csv: the column
                            (default text; with --no-header a 0-based number); --corpus-dev-passages N held out
  resume <run>              go on from a run's last checkpoint (after a stop or a crash)
  runs                      list the runs (--json for the records)
  eval <run>                evaluate a run's model on its dev set
  analyze <run>             the paired analysis of an LRC run and its MSE baseline (layer grids, cases)
  export <run> --out <dir>  write a run's model as a Hugging Face folder (--dtype f32|f16|bf16)
  measure <run>             the serving cost of a run's export on the best backend: latency at batch 1 (median,
                            p95), throughput at --serving-batch N (default 32), parameters, size f32/f16; into
                            its serving.json (runs measure their export when they finish)
  control <run> <request>   steer a running run: pause, resume, stop, next-stage, evaluate, analyze,
                            set alpha=1 beta=1 gamma=3 temperature=1.1 epsilon=1
  sweep <file.json>         every combination of a sweep file's axes (tasks, seeds, methods, any config field),
                            teachers first: --executor local (a pool of --workers processes, default the cores)
                            or --executor slurm (sbatch job arrays; --wait follows them); --dry-run lists the runs
  sweep status|cancel|resume|report <sweep>   where its runs stand (--json); scancel or stop the pool; submit or
                            run again what did not finish (from checkpoints); the tables (--format md|csv|json --out)
  sweep report <sweep> --rule R   the front per task (score against latency at batch 1) and the recommended cell:
                            fastest-within:<points> (default fastest-within:1), best-under:<ms>ms, best, fastest;
                            --out <folder> writes the tables and a front-<task>.svg chart per task
  sweep measure <sweep>     measure every export of the sweep again (teachers too), one after another in one process
  sweep export-recommended <sweep> --out <dir> [--task T] [--dtype f32|f16] [--rule R]   the recommended student
  sweep list                the sweeps (--sweeps <dir>, default .lrc/sweeps beside the runs folder)
  sweep adopt <file.json> --results <dir> [--records <dir>]   a sweep of runs that already ran, from their eval --json
                            scores and records (default records/ beside the results), for sweep report
  teacher-store [list]      the teacher-output stores (per teacher: dtype, layers, outputs, size; --json)
  teacher-store remove <id>|--all   free their disk (runs then compute the teacher again)
  teacher-store prune [--max <size>] [--older-than <days>]   the oldest stores not in use removed until the rest
                            fit in <size> (10G, 500M; default --teacher-store-max), and those unused for <days>
  setup-native [--gpu] [--wheel <file or folder>]   build the native TensorFlow backend (tfjs-node, or tfjs-node-gpu
                            with CUDA) from TensorFlow's PyPI wheel into ~/.cache/lrc-distill/native (LRC_NATIVE_HOME);
                            --backend auto prefers it from then on. 'setup-native status': what is built (--json)

Options
  --runs <dir>              the runs folder (default .lrc/runs)
  --config <file.json>      a run config (the flags below override its fields)
  --task demo|glue:<TASK>|file   with --glue-dir <dir>, or --train --dev [--text-column --pair-column --label-column --regression]
        --no-header         the --train and --dev files have no header line: columns by 0-based number
                            (--text-column 0 --label-column 1)
  --layers --hidden --heads --ffn --dropout   the shape of the model trained (teacher or student)
        --max-positions N   its position table when trained from scratch (default BERT's 512; --max-length
                            may not exceed it, nor a teacher's or --init folder's max_position_embeddings)
  --epochs --batch-size --lr --max-steps --max-length --max-train --max-dev --seed
  --split --epsilon --temperature   the two-stage schedule and the perturbation
  --eval-every --patience --no-analysis --log-every --backend auto|tensorflow|wasm|cpu
  --tokenizer <dir> --init <dir|run> --name <name> --plain (no progress bar) --json
  --threads auto|N          threads of the WASM backend (or LRC_THREADS; auto: the cores, SLURM_CPUS_PER_TASK in a job)
  --teacher-cache auto|off|<MiB>  keep the frozen teacher's outputs between epochs (or LRC_TEACHER_CACHE)
  --teacher-store auto|on|off|<dir>  the teacher's outputs on disk, shared by the runs of one teacher (or
                            LRC_TEACHER_STORE; auto: .lrc/teacher-outputs, written by sweeps and by runs that overflow the cache)
  --teacher-store-dtype float32|float16  float16 halves the store and rounds the teacher's hidden states (or LRC_TEACHER_STORE_DTYPE)
  --teacher-store-max <size>  the stores together at most this size (10G, 500M; or LRC_TEACHER_STORE_MAX): a run that
                            writes prunes the oldest stores not in use first
  --debug                   a stack trace below an error message (or LRC_DEBUG=1); docs/errors.md lists the messages
`;

/** parseArgs' own messages, shortened to one line. */
function usageError(e: Error & { code?: string }): UserError {
  const option = /'(-[^']*)'/.exec(e.message)?.[1];
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) return new UserError(`unknown option '${option}' (lrc-distill --help lists them)`, option);
  return new UserError(`${e.message.split('. ')[0].replace(/\.$/, '')} (lrc-distill --help lists the options)`, option);
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: FLAGS, allowPositionals: true, strict: true });
  } catch (e) {
    throw usageError(e as Error);
  }
  const flags = parsed.values as Flags;
  if (flags.debug) process.env.LRC_DEBUG = '1';
  const [command, ...positionals] = parsed.positionals;
  if (flags.help || !command) {
    console.log(USAGE);
    return flags.help ? EXIT.ok : EXIT.usage;
  }
  const ctx: CliContext = { flags, positionals, runsDir: resolve(flags.runs ?? '.lrc/runs') };
  switch (command) {
    case 'demo':
      return demoCommand(ctx);
    case 'pretrain':
      return trainCommand('pretrain', ctx);
    case 'train-teacher':
      return trainCommand('teacher', ctx);
    case 'train-student':
      return trainCommand('student', ctx);
    case 'distill':
      return distillCommand(ctx);
    case 'distill-general':
      return generalCommand(ctx);
    case 'resume':
      return resumeCommand(ctx);
    case 'runs':
      return runsCommand(ctx);
    case 'eval':
      return evalCommand(ctx);
    case 'export':
      return exportCommand(ctx);
    case 'measure':
      return measureCommand(ctx);
    case 'control':
      return controlCommand(ctx);
    case 'analyze':
      return analyzeCommand(ctx);
    case 'sweep':
      return sweepCommand(ctx);
    case 'sweep-task':
      return sweepTaskCommand(ctx);
    case 'teacher-store':
      return teacherStoreCommand(ctx);
    case 'setup-native':
      return setupNativeCommand(ctx);
    default:
      throw new UserError(`unknown command '${command}' (lrc-distill --help lists the commands)`, 'command');
  }
}

/** Exits once stdout has been written out: a pipe would otherwise lose what is past 64 KiB. */
function exitAfterOutput(code: number): void {
  process.exitCode = code;
  process.stdout.write('', () => process.exit(code));
}

main(process.argv.slice(2)).then(
  (code) => exitAfterOutput(code),
  (e: unknown) => {
    const report = cliErrorReport(e, undefined, { usage: EXIT.usage, failed: EXIT.runFailed });
    console.error(report.text);
    exitAfterOutput(report.exitCode);
  },
);
