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
      // The welcome text shows while the extension still activates, too: wait until the view has
      // loaded (its progress bar done, no progress badge on the icon) before calling it empty.
      await sidebar.locator('.monaco-progress-container.done').first().waitFor({ state: 'attached', timeout: 60_000 });
      await page.locator('.part.activitybar li.action-item', { has: page.locator('a.action-label[aria-label^="LRC Distill"]') })
        .locator('.badge.progress-badge').waitFor({ state: 'detached', timeout: 60_000 });
      await welcome.waitFor();
      const buttons = await welcome.locator('.monaco-button').allInnerTexts();
      assert.deepEqual(buttons.map((b) => b.trim()), ['Open Dashboard', 'Show Trainer Backend']);
      assert.equal(await sidebar.locator('.monaco-list[aria-label="Runs"] .monaco-list-row').count(), 0, 'the Runs tree has rows');
      await screenshot(page, 'sidebar-runs-empty');
    },
  },
];
