// The esgen extension: the .esm language (grammar and language
// configuration, declared in package.json) and a client of the language
// server `esgen lsp`, started over stdio.
import * as path from "node:path";
import * as os from "node:os";
import * as vscode from "vscode";
import {
  CloseAction,
  type CloseHandlerResult,
  ErrorAction,
  type ErrorHandler,
  type ErrorHandlerResult,
  LanguageClient,
  type LanguageClientOptions,
  type Message,
  type ServerOptions,
} from "vscode-languageclient/node";
import { notFoundMessage, serverCommand } from "./command";

let client: EsgenClient | undefined;
let output: vscode.OutputChannel | undefined;

// EsgenClient is the language client, quiet while it starts: a server that
// does not start is reported once, by start below, with what to do about
// it, instead of by the client's generic notifications. Once started, a
// server that crashes is restarted, and reported, as the client does by
// default.
class EsgenClient extends LanguageClient {
  starting = true;

  override error(message: string, data?: unknown, showNotification: boolean | "force" = true): void {
    super.error(message, data, this.starting ? false : showNotification);
  }
}

// errorHandler shuts a server down without restarting it while it starts,
// and handles errors as the client does by default once it runs.
function errorHandler(c: () => EsgenClient | undefined): ErrorHandler {
  let fallback: ErrorHandler | undefined;
  const running = (): ErrorHandler | undefined => {
    const cl = c();
    if (!cl || cl.starting) return undefined;
    fallback ??= cl.createDefaultErrorHandler(4);
    return fallback;
  };
  return {
    error: (error: Error, message: Message | undefined, count: number | undefined): ErrorHandlerResult | Promise<ErrorHandlerResult> =>
      running()?.error(error, message, count) ?? { action: ErrorAction.Shutdown, handled: true },
    closed: (): CloseHandlerResult | Promise<CloseHandlerResult> =>
      running()?.closed() ?? { action: CloseAction.DoNotRestart, handled: true },
  };
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("esgen");
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand("esgen.restartServer", restart),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (["esgen.path", "esgen.command", "esgen.server.enabled"].some((s) => e.affectsConfiguration(s))) {
        void restart();
      }
    }),
  );
  await start();
}

export async function deactivate(): Promise<void> {
  await stop();
}

async function restart(): Promise<void> {
  await stop();
  await start();
}

async function stop(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) {
    try {
      await c.stop();
    } catch (err) {
      output?.appendLine(`esgen: stopping the language server: ${String(err)}`);
    }
  }
}

// folder returns the folder the server runs in: the workspace folder of the
// active .esm file, else the first workspace folder, else the directory of
// the active file. `go tool esgen` must run inside the module.
function folder(): string | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  if (doc && doc.uri.scheme === "file") {
    const ws = vscode.workspace.getWorkspaceFolder(doc.uri);
    if (ws) return ws.uri.fsPath;
  }
  const first = vscode.workspace.workspaceFolders?.[0];
  if (first) return first.uri.fsPath;
  if (doc && doc.uri.scheme === "file") return path.dirname(doc.uri.fsPath);
  return undefined;
}

async function start(): Promise<void> {
  const cfg = vscode.workspace.getConfiguration("esgen");
  if (!cfg.get<boolean>("server.enabled", true)) {
    return;
  }
  const cwd = folder();
  const cmd = serverCommand(
    { path: cfg.get<string>("path", "esgen"), command: cfg.get<string[]>("command", []) },
    {
      folder: cwd,
      home: os.homedir(),
      pathVar: process.env.PATH ?? "",
      pathExt: process.env.PATHEXT,
      platform: process.platform,
    },
  );
  if (!cmd.resolved) {
    const msg = notFoundMessage(cmd);
    output?.appendLine(msg);
    const choice = await vscode.window.showErrorMessage(msg, "Open Settings");
    if (choice === "Open Settings") {
      await vscode.commands.executeCommand("workbench.action.openSettings", "@ext:esgen.esgen");
    }
    return;
  }
  // No transport: the client then speaks over the server's stdin and
  // stdout without adding a --stdio argument.
  const serverOptions: ServerOptions = { command: cmd.resolved, args: cmd.args, options: { cwd } };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "esm" },
      { scheme: "untitled", language: "esm" },
    ],
    // No file watcher of the client's own: a server that wants to hear of
    // .esm files changed on disk registers one (workspace/didChangeWatchedFiles
    // supports dynamic registration).
    outputChannel: output,
    // A server that fails to start is reported once, below, not retried.
    initializationFailedHandler: () => false,
    errorHandler: errorHandler(() => c),
  };
  const c: EsgenClient = new EsgenClient("esgen", "esgen", serverOptions, clientOptions);
  client = c;
  // start rejects when the server cannot be spawned or fails initialize,
  // but a server that exits while it starts may instead leave the client
  // stopped: both are a server that did not start.
  let why = "it stopped before it answered";
  try {
    await c.start();
  } catch (err) {
    why = err instanceof Error ? err.message : String(err);
  }
  if (c.isRunning()) {
    c.starting = false;
  } else {
    if (client === c) client = undefined;
    c.dispose().catch(() => undefined); // already stopped: nothing to report twice
    const line = [cmd.resolved, ...cmd.args].join(" ");
    const msg = `esgen: the language server (${line}) did not start: ${why}. ` +
      "The esgen output shows what it printed; the server is an esgen with the lsp command (esgen help lists its commands).";
    output?.appendLine(msg);
    const choice = await vscode.window.showErrorMessage(msg, "Show Output", "Open Settings");
    if (choice === "Show Output") output?.show();
    if (choice === "Open Settings") {
      await vscode.commands.executeCommand("workbench.action.openSettings", "@ext:esgen.esgen");
    }
  }
}
