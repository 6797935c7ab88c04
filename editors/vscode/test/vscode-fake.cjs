// A stand-in for the vscode module, enough for the extension and its
// language client to start and stop a server outside VS Code: the parts the
// test looks at are real (settings, messages, output, workspace folder);
// every other property is a stub that accepts any call. Load it before
// requiring the extension bundle: it answers require("vscode").
const Module = require("node:module");

function stub(name) {
  const f = function () {};
  return new Proxy(f, {
    get(_t, p) {
      if (p === "then") return undefined; // not a promise
      if (p === "prototype") return f.prototype;
      if (p === Symbol.iterator) return function* () {};
      return stub(`${name}.${String(p)}`);
    },
    apply() {
      return stub(`${name}()`);
    },
    construct() {
      return stub(`new ${name}`);
    },
  });
}

// withStubs returns obj, whose missing properties are stubs.
function withStubs(name, obj) {
  return new Proxy(obj, {
    get(t, p) {
      if (p in t) return t[p];
      return stub(`${name}.${String(p)}`);
    },
  });
}

const disposable = { dispose() {} };

/** The state of the fake: set settings, folder and open documents; read messages, output and diagnostics. */
const fake = {
  settings: {},
  folder: undefined,
  documents: [],
  messages: [],
  output: [],
  diagnostics: [],
  reset(settings, folder, documents = []) {
    fake.settings = settings;
    fake.folder = folder;
    fake.documents = documents.map(({ path, languageId, text }) => document(path, languageId, text));
    fake.messages = [];
    fake.output = [];
    fake.diagnostics = [];
  },
};

class Uri {
  constructor(scheme, path) {
    this.scheme = scheme;
    this.path = path;
    this.fsPath = path;
  }
  static file(path) {
    return new Uri("file", path);
  }
  static parse(s) {
    const m = /^([a-z]+):\/\/(.*)$/.exec(s);
    return m ? new Uri(m[1], decodeURIComponent(m[2])) : new Uri("file", s);
  }
  toString() {
    return `${this.scheme}://${encodeURI(this.path)}`;
  }
}

// document is an open text document of the fake workspace.
function document(path, languageId, text) {
  return withStubs("document", {
    uri: Uri.file(path),
    fileName: path,
    languageId,
    version: 1,
    isClosed: false,
    isUntitled: false,
    getText: () => text,
  });
}

class CancellationTokenSource {
  constructor() {
    const listeners = [];
    this.token = {
      isCancellationRequested: false,
      onCancellationRequested: (l) => {
        listeners.push(l);
        return disposable;
      },
    };
    this.cancel = () => {
      this.token.isCancellationRequested = true;
      for (const l of listeners) l();
    };
  }
  dispose() {}
}

class Position {
  constructor(line, character) {
    this.line = line;
    this.character = character;
  }
}

class Range {
  constructor(a, b, c, d) {
    [this.start, this.end] = a instanceof Position ? [a, b] : [new Position(a, b), new Position(c, d)];
  }
}

class Diagnostic {
  constructor(range, message, severity) {
    this.range = range;
    this.message = message;
    this.severity = severity;
  }
}

const vscode = withStubs("vscode", {
  version: "1.82.0",
  Uri,
  CancellationTokenSource,
  Position,
  Range,
  Diagnostic,
  DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
  languages: withStubs("vscode.languages", {
    // A selector is a list of {scheme, language} filters here.
    match: (selector, doc) =>
      selector.some((f) => (!f.language || f.language === doc.languageId) && (!f.scheme || f.scheme === doc.uri.scheme)) ? 10 : 0,
    createDiagnosticCollection: (name) => withStubs("diagnosticCollection", {
      name,
      set: (uri, diagnostics) => fake.diagnostics.push({ uri: uri.toString(), diagnostics }),
      delete() {},
      clear() {},
      dispose() {},
    }),
  }),
  window: withStubs("vscode.window", {
    activeTextEditor: undefined,
    createOutputChannel: (name) => withStubs("outputChannel", {
      name,
      append: (s) => fake.output.push(s),
      appendLine: (s) => fake.output.push(s + "\n"),
      show() {},
      dispose() {},
    }),
    showErrorMessage: async (message, ...items) => {
      fake.messages.push({ message, items });
      return undefined;
    },
  }),
  commands: withStubs("vscode.commands", {
    registerCommand: () => disposable,
    executeCommand: async () => undefined,
  }),
  workspace: withStubs("vscode.workspace", {
    getConfiguration: () => ({ get: (key, def) => (key in fake.settings ? fake.settings[key] : def) }),
    onDidChangeConfiguration: () => disposable,
    get workspaceFolders() {
      return fake.folder ? [{ uri: { fsPath: fake.folder, scheme: "file" }, name: "folder", index: 0 }] : undefined;
    },
    getWorkspaceFolder: () => undefined,
    createFileSystemWatcher: () => withStubs("watcher", { dispose() {} }),
    get textDocuments() {
      return fake.documents;
    },
  }),
});

const load = Module._load;
Module._load = function (request, ...rest) {
  return request === "vscode" ? vscode : load.call(this, request, ...rest);
};

module.exports = fake;
