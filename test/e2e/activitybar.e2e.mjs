// The LRC Distill icon in the activity bar opens the sidebar with the Runs view, empty in a new
// workspace: its welcome text and buttons, no tree rows.
import assert from 'node:assert/strict';
import { activityBarItem, screenshot } from './workbench.mjs';

export const tests = [
  {
    name: 'the activity-bar icon opens the empty Runs view',
    async run({ page }) {
      const icon = activityBarItem(page, 'LRC Distill');
      await icon.waitFor({ timeout: 60_000 });
      await icon.click();
      const sidebar = page.locator('.part.sidebar');
      await sidebar.locator('.title-label h2', { hasText: 'LRC Distill' }).waitFor();
      const welcome = sidebar.locator('.welcome-view-content', { hasText: 'No distillation runs' });
      await welcome.waitFor();
      const buttons = await welcome.locator('.monaco-button').allInnerTexts();
      assert.deepEqual(buttons.map((b) => b.trim()), ['Open Dashboard', 'Show Trainer Backend']);
      assert.equal(await sidebar.locator('.monaco-list[aria-label="Runs"] .monaco-list-row').count(), 0, 'the Runs tree has rows');
      await screenshot(page, 'sidebar-runs-empty');
    },
  },
];
