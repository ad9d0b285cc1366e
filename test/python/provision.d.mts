// Types of provision.mjs for the TypeScript tests (test/unit/helpers/python.ts).
export const DEBIAN_PYTHON: string;
export const REQUIREMENTS: string;
export function pyrefDir(env?: NodeJS.ProcessEnv): string;
export function pyrefPython(env?: NodeJS.ProcessEnv): string;
export function ensureDebianTorch(options?: { log?: (message: string) => void }): Promise<{ installed: boolean; ms: number; version: string }>;
export function ensurePyref(options?: { log?: (message: string) => void }): Promise<{ installed: boolean; ms: number; dir: string; python: string; versions: Record<string, string> }>;
