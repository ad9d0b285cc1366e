// `lrc-distill setup-native [--gpu] [--wheel <file or folder>]` builds the native TensorFlow backend
// (trainer/backend/native/); `lrc-distill setup-native status [--json]` says what is built. Progress is
// a line per step; the tools' own output goes to a build log in the native home, named on failure.
// Ctrl-C or SIGTERM cancels: the signal reaches the tool of the current step too (a terminal signals its
// whole process group; the extension kills the group it started), that step fails, setupNative removes
// its build folder, and no further step starts. A second signal ends the process at once.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors';
import { nativeHome, readManifest, variantDir } from '../backend/native/nativeHome';
import type { NativeVariant } from '../backend/native/pins';
import { setupNative } from '../backend/native/setupNative';
import { EXIT, type CliContext } from './runCommands';

function statusCommand(ctx: CliContext): number {
  const home = nativeHome();
  const builds = (['cpu', 'gpu'] as NativeVariant[]).map((variant) => ({ variant, dir: variantDir(variant, home), manifest: readManifest(variant, home) }));
  if (ctx.flags.json) {
    console.log(JSON.stringify({ home, builds }, null, 2));
    return EXIT.ok;
  }
  console.log(`native home: ${home}`);
  for (const b of builds) {
    const m = b.manifest;
    console.log(
      m
        ? `${b.variant}: ${m.package}@${m.tfjsNodeVersion} on TensorFlow ${m.tensorflowVersion} (${m.wheel.source}${m.cudaWheels.length ? `, ${m.cudaWheels.length} CUDA wheels` : ''}), built ${m.builtAt} for Node ABI ${m.nodeAbi}`
        : `${b.variant}: not built (lrc-distill setup-native${b.variant === 'gpu' ? ' --gpu' : ''})`,
    );
  }
  return EXIT.ok;
}

/** Thrown by the progress callback once a signal asked to cancel: no step starts after it. */
class SetupCancelled extends Error {}

export async function setupNativeCommand(ctx: CliContext): Promise<number> {
  const [sub, ...rest] = ctx.positionals;
  if (sub === 'status') return statusCommand(ctx);
  if (sub !== undefined || rest.length) throw new UserError(`setup-native takes no argument '${sub}' (setup-native [--gpu] [--wheel <file or folder>], or setup-native status)`, 'setup-native');
  const variant: NativeVariant = ctx.flags.gpu ? 'gpu' : 'cpu';
  const home = nativeHome();
  mkdirSync(home, { recursive: true });
  const logFile = join(home, `setup-${variant}.log`);
  appendFileSync(logFile, `\n== setup-native ${variant} ${new Date().toISOString()}\n`);
  const detail = (line: string) => appendFileSync(logFile, `${line}\n`);
  let cancelled: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (cancelled) process.exit(EXIT.interrupted);
    cancelled = signal;
    detail(`${signal}: cancelling`);
    console.error(`\ncancelling setup-native (${signal}): the current step stops, nothing is installed; again to quit at once`);
  };
  const say = (line: string) => {
    if (cancelled) throw new SetupCancelled(cancelled);
    detail(line);
    if (!ctx.flags.json) console.log(line);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const result = await setupNative({ variant, wheel: ctx.flags.wheel, home, log: say, detail });
    const m = result.manifest;
    if (ctx.flags.json) console.log(JSON.stringify({ dir: result.dir, seconds: result.seconds, manifest: m }, null, 2));
    else {
      console.log(
        `native backend ready in ${result.seconds.toFixed(0)} s: ${m.package}@${m.tfjsNodeVersion} on TensorFlow ${m.smoke.tfVersion}` +
          `${variant === 'gpu' ? (m.smoke.gpu ? ', on the GPU' : ', but TensorFlow found no GPU here (it runs on the CPU)') : ', CPU'} (${result.dir}); --backend auto uses it from now on`,
      );
    }
    return EXIT.ok;
  } catch (err) {
    if (cancelled) {
      detail(`cancelled (${cancelled}) at: ${(err as Error).message}`);
      console.error(`setup-native: cancelled (${cancelled}); nothing was installed (log: ${logFile})`);
      return EXIT.interrupted;
    }
    detail(`failed: ${(err as Error).message}`);
    if (err instanceof UserError) throw new UserError(`setup-native: ${err.message} (log: ${logFile}; nothing was installed)`, err.where);
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
