// A multi-step quick input with a back button (after the quickinput sample of vscode-extension-samples):
// each step is a function that asks one question and returns the next step; Back re-runs the step before.
import * as vscode from 'vscode';

export type Step = (input: MultiStepInput) => Promise<Step | void>;

class BackSignal extends Error {}
export class CancelledSignal extends Error {}

export interface PickOptions<T extends vscode.QuickPickItem> {
  title: string;
  placeholder: string;
  items: T[];
  /** The item to highlight first. */
  active?: T;
}

export interface InputOptions {
  title: string;
  prompt: string;
  value: string;
  /** A message when the value is not acceptable, else undefined. */
  validate: (value: string) => string | undefined;
}

export class MultiStepInput {
  private readonly history: Step[] = [];
  private current: vscode.QuickInput | undefined;
  step = 0;
  totalSteps = 0;

  /** Runs the steps from `start`; resolves false when the user cancelled. */
  static async run(start: Step, totalSteps: number): Promise<boolean> {
    const input = new MultiStepInput();
    input.totalSteps = totalSteps;
    return input.stepThrough(start);
  }

  private async stepThrough(start: Step): Promise<boolean> {
    let step: Step | void = start;
    while (step) {
      this.history.push(step);
      this.step = this.history.length;
      try {
        step = await step(this);
      } catch (e) {
        if (e instanceof BackSignal) {
          this.history.pop();
          step = this.history.pop();
        } else if (e instanceof CancelledSignal) {
          this.current?.dispose();
          return false;
        } else {
          this.current?.dispose();
          throw e;
        }
      }
    }
    this.current?.dispose();
    return true;
  }

  pick<T extends vscode.QuickPickItem>(o: PickOptions<T>): Promise<T> {
    const pick = vscode.window.createQuickPick<T>();
    pick.title = o.title;
    pick.placeholder = o.placeholder;
    pick.items = o.items;
    if (o.active) pick.activeItems = [o.active];
    return this.show(pick, (resolve) => [
      pick.onDidAccept(() => {
        const [item] = pick.selectedItems.length ? pick.selectedItems : pick.activeItems;
        if (item) resolve(item);
      }),
    ]);
  }

  input(o: InputOptions): Promise<string> {
    const box = vscode.window.createInputBox();
    box.title = o.title;
    box.prompt = o.prompt;
    box.value = o.value;
    const check = () => (box.validationMessage = o.validate(box.value));
    check();
    return this.show(box, (resolve) => [
      box.onDidChangeValue(check),
      box.onDidAccept(() => {
        if (!o.validate(box.value)) resolve(box.value);
      }),
    ]);
  }

  /** An action outside the quick input (a file dialog) that still counts as a step. */
  async outside<T>(action: () => Thenable<T | undefined>): Promise<T> {
    this.current?.hide();
    const value = await action();
    if (value === undefined) throw new BackSignal();
    return value;
  }

  private show<R>(q: vscode.QuickPick<vscode.QuickPickItem> | vscode.InputBox, wire: (resolve: (r: R) => void) => vscode.Disposable[]): Promise<R> {
    const disposables: vscode.Disposable[] = [];
    return new Promise<R>((resolve, reject) => {
      q.step = this.step;
      q.totalSteps = Math.max(this.totalSteps, this.step);
      q.ignoreFocusOut = true;
      q.buttons = this.history.length > 1 ? [vscode.QuickInputButtons.Back] : [];
      disposables.push(
        ...wire(resolve),
        q.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && reject(new BackSignal())),
        q.onDidHide(() => reject(new CancelledSignal())),
      );
      const previous = this.current;
      this.current = q;
      q.show();
      previous?.dispose();
    }).finally(() => disposables.forEach((d) => d.dispose()));
  }
}
