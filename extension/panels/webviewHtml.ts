// The HTML shell of every webview panel: a strict content security policy with a nonce, local
// resources only, the panel's bundle and the shared stylesheet.
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';

export interface WebviewPage {
  webview: vscode.Webview;
  extensionUri: vscode.Uri;
  /** The bundle's name under dist/webview/ without '.js'. */
  bundle: string;
  title: string;
  /** The id of the element the bundle renders into. */
  rootId: string;
  /** More stylesheets, relative to the extension folder: 'media/<panel>.css', and 'dist/webview/<bundle>.css'
   *  (esbuild writes it for CSS the bundle imports). Both folders are local resource roots. */
  styles?: string[];
  /** Initial state for the page, as data-* attributes of the root element (e.g. { runId }). */
  state?: Record<string, string | undefined>;
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    retainContextWhenHidden: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

export function renderWebviewHtml(page: WebviewPage): string {
  const nonce = randomBytes(16).toString('base64');
  const { webview } = page;
  const script = webview.asWebviewUri(vscode.Uri.joinPath(page.extensionUri, 'dist', 'webview', `${page.bundle}.js`));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(page.extensionUri, 'media', 'webview.css'));
  const extraStyles = (page.styles ?? [])
    .map((name) => `\n  <link rel="stylesheet" href="${webview.asWebviewUri(vscode.Uri.joinPath(page.extensionUri, ...name.split('/')))}">`)
    .join('');
  const data = Object.entries(page.state ?? {})
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` data-${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}="${escapeHtml(v!)}"`)
    .join('');
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource} 'unsafe-inline'`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${style}">${extraStyles}
  <title>${escapeHtml(page.title)}</title>
</head>
<body>
  <main id="${page.rootId}"${data}>Loading…</main>
  <script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
