// Steering a run that another process owns (the CLI): one validated request a line in the run's
// control.jsonl, which the owner's session reads between steps.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { ControlRequestSchema, type ControlRequest } from '../../trainer/protocol';
import { describeZodError, UserError } from '../../trainer/server';

export function controlFileOf(runDir: string): string {
  return join(runDir, 'control.jsonl');
}

export function appendControl(runDir: string, request: ControlRequest): void {
  const parsed = ControlRequestSchema.safeParse(request);
  if (!parsed.success) throw new UserError(`control request ${JSON.stringify(request)}: ${describeZodError(parsed.error)}`, 'control');
  appendFileSync(controlFileOf(runDir), JSON.stringify(parsed.data) + '\n');
}
