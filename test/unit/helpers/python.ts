// The Python references of the cross-checks (docs/python-references.md): /usr/bin/python3 with Debian's
// torch, and the cached transformers virtualenv, both installed by test/python/provision.mjs, which
// `npm test` runs before the unit tier. A test file run alone on a machine without them is skipped with
// the command that installs them; under CI (CI set) it is never skipped: the test runs and fails with
// the reason, so that a check that could not run is seen.
import { spawnSync } from 'node:child_process';
import { DEBIAN_PYTHON, pyrefPython } from '../../python/provision.mjs';

/** CI=true (or any value but 0/false): the checks must run. */
const onCi = !!process.env.CI && !/^(0|false)$/i.test(process.env.CI);

export interface PythonReference {
  /** The interpreter to run. */
  python: string;
  /** For node:test's `skip`: a reason outside CI when the reference is missing, else false. */
  skip: string | false;
  /** Why the reference cannot run, or undefined when it can; `requireReference` fails the test with it. */
  missing?: string;
}

function probe(python: string, modules: string, what: string, install: string): PythonReference {
  const r = spawnSync(python, ['-c', `import ${modules}`], { encoding: 'utf8', env: { ...process.env, HF_HUB_OFFLINE: '1' } });
  if (r.status === 0) return { python, skip: false };
  const why = r.error ? r.error.message : (r.stderr.trim().split('\n').pop() ?? `exit ${r.status}`);
  const missing = `${what} is not available (${why}); install it with \`${install}\` (npm test does)`;
  return { python, skip: onCi ? false : `skipped: ${missing}`, missing };
}

/** /usr/bin/python3 with torch (Debian python3-torch). */
export function debianTorch(): PythonReference {
  return probe(DEBIAN_PYTHON, 'torch', `${DEBIAN_PYTHON} with torch (Debian python3-torch)`, 'node test/python/provision.mjs torch');
}

/** The virtualenv with the pinned transformers on Debian's torch. */
export function transformersReference(): PythonReference {
  return probe(pyrefPython(), 'torch, transformers', `transformers in ${pyrefPython()}`, 'node test/python/provision.mjs pyref');
}

/** First line of a test that uses a reference: fails (under CI the test is not skipped) when it is missing. */
export function requireReference(ref: PythonReference): void {
  if (ref.missing) throw new Error(`${ref.missing}${onCi ? ' (CI: a cross-check is never skipped)' : ''}`);
}
