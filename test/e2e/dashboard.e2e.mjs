// "LRC: Open Dashboard" from the command palette opens the dashboard webview; its Start button starts
// the trainer, and the page then shows the backend the trainer chose.
import assert from 'node:assert/strict';
import { runCommand, screenshot, webviewContent } from './workbench.mjs';

export const tests = [
  {
    name: 'the command palette opens the dashboard webview',
    async run({ page, state }) {
      await runCommand(page, 'LRC: Open Dashboard');
      const frame = await webviewContent(page, 'LRC Dashboard');
      const root = frame.locator('#dashboard-root');
      await root.locator('h1').waitFor({ timeout: 30_000 });
      const text = ((await root.textContent()) ?? '').replace(/\s+/g, ' ').trim();
      assert.match(text, /LRC Distill: run dashboard/);
      assert.match(text, /Trainer: ?not started/i);
      console.log(`      #dashboard-root: ${(await root.innerText()).split('\n').filter(Boolean).join(' | ')}`);
      await screenshot(page, 'dashboard-open');
      state.dashboard = frame;
    },
  },
  {
    name: 'the dashboard starts the trainer and shows its backend',
    async run({ page, state }) {
      assert.ok(state.dashboard, 'needs the dashboard from the test before');
      const frame = state.dashboard;
      await frame.locator('#start-trainer').click();
      const backend = frame.locator('#trainer-backend', { hasText: /Backend: (tensorflow|wasm|cpu)\b/ });
      await backend.waitFor({ timeout: 120_000 });
      assert.match((await frame.locator('#trainer-status').textContent()) ?? '', /Trainer: ?ready/i);
      console.log(`      ${await backend.textContent()}`);
      await screenshot(page, 'dashboard-trainer-ready');
    },
  },
];
