// The Questline extension's client: starts `quest lsp` over stdio for .quest
// files. The binary comes from the `questline.server.path` setting (default:
// `quest` on PATH); changing the setting restarts the server.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function serverOptions() {
  const config = vscode.workspace.getConfiguration("questline");
  const command = config.get("server.path") || "quest";
  const args = ["lsp", ...(config.get("server.extraArgs") || [])];
  return { command, args, options: { env: process.env } };
}

async function start() {
  client = new LanguageClient("questline", "Questline", serverOptions(), {
    documentSelector: [{ scheme: "file", language: "quest" }],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/*.quest") },
  });
  await client.start();
}

async function activate(context) {
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (!event.affectsConfiguration("questline.server")) return;
      if (client) await client.stop();
      await start();
    }),
  );
  try {
    await start();
  } catch (err) {
    vscode.window.showErrorMessage(
      `Questline: cannot start '${serverOptions().command} lsp' (${err.message}). Set questline.server.path.`,
    );
  }
}

async function deactivate() {
  if (client) await client.stop();
}

module.exports = { activate, deactivate };
