// How the extension finds the esgen program and builds the command that
// starts `esgen lsp`. Nothing here depends on VS Code, so that it is tested
// on its own (test/command.test.ts).
import * as fs from "node:fs";
import * as path from "node:path";

/** The settings that say how to run esgen. */
export interface Settings {
  /** esgen.path: a program name looked up on the PATH, or a path. */
  path: string;
  /** esgen.command: program and arguments; overrides path when not empty. */
  command: string[];
}

/** Where the command runs and what it expands. */
export interface Environment {
  /** The folder the server runs in, and ${workspaceFolder}; may be unset. */
  folder?: string;
  /** The user's home directory, for ~. */
  home: string;
  /** The PATH variable. */
  pathVar: string;
  /** "win32" adds the extensions of PATHEXT when a program is looked up. */
  platform: NodeJS.Platform;
  /** The PATHEXT variable (Windows only). */
  pathExt?: string;
  /** Reports whether a file is an executable file; the file system's answer by default. */
  isExecutable?: (file: string) => boolean;
}

/** The command that starts the language server. */
export interface ServerCommand {
  /** The program as the user wrote it, for messages. */
  program: string;
  /** The program found: an absolute path, or undefined when not found. */
  resolved?: string;
  /** The arguments, lsp last. */
  args: string[];
  /** Which setting the program came from, for messages. */
  setting: "esgen.path" | "esgen.command";
}

/** expand replaces a leading ~ and every ${workspaceFolder} in s. */
export function expand(s: string, env: Environment): string {
  let out = s;
  if (out === "~" || out.startsWith("~/") || out.startsWith("~\\")) {
    out = env.home + out.slice(1);
  }
  if (env.folder !== undefined) {
    out = out.split("${workspaceFolder}").join(env.folder);
  }
  return out;
}

/**
 * serverCommand returns the command that runs `esgen lsp` according to the
 * settings: esgen.command when it is not empty, esgen.path otherwise (and
 * "esgen" when that is empty too).
 */
export function serverCommand(settings: Settings, env: Environment): ServerCommand {
  const cmd = settings.command.filter((s) => s.trim() !== "");
  if (cmd.length > 0) {
    const program = expand(cmd[0], env);
    return {
      program,
      resolved: findProgram(program, env),
      args: [...cmd.slice(1).map((a) => expand(a, env)), "lsp"],
      setting: "esgen.command",
    };
  }
  const program = expand(settings.path.trim() || "esgen", env);
  return { program, resolved: findProgram(program, env), args: ["lsp"], setting: "esgen.path" };
}

/**
 * findProgram returns the absolute path of the program a command names, as
 * a shell would find it: a name with a directory separator is a path
 * (relative to the folder), any other name is looked up in the directories
 * of PATH. It returns undefined when there is no such executable file.
 */
export function findProgram(program: string, env: Environment): string | undefined {
  const p = env.platform === "win32" ? path.win32 : path.posix;
  const exts = env.platform === "win32"
    ? ["", ...(env.pathExt || ".COM;.EXE;.BAT;.CMD").split(";").filter((e) => e !== "")]
    : [""];
  const candidates = (base: string) => exts.map((e) => base + e);
  const ok = env.isExecutable ?? ((f: string) => isExecutable(f, env.platform));
  if (program.includes("/") || (env.platform === "win32" && program.includes("\\"))) {
    const base = p.isAbsolute(program) ? program : p.resolve(env.folder ?? ".", program);
    return candidates(base).find(ok);
  }
  const sep = env.platform === "win32" ? ";" : ":";
  for (const dir of env.pathVar.split(sep)) {
    if (dir === "") continue;
    const found = candidates(p.join(dir, program)).find(ok);
    if (found) return found;
  }
  return undefined;
}

function isExecutable(file: string, platform: NodeJS.Platform): boolean {
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return false;
    if (platform !== "win32") fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** notFoundMessage says what to do when the program is not found. */
export function notFoundMessage(c: ServerCommand): string {
  const where = c.program.includes("/") || c.program.includes("\\")
    ? `there is no executable file ${c.program}`
    : `${c.program} is not on the PATH`;
  return `esgen: cannot start the language server (${c.setting}): ${where}. ` +
    "Install esgen with `go install github.com/esgen/esgen/cmd/esgen@latest`, " +
    "set esgen.path to where it is, or set esgen.command to [\"go\", \"tool\", \"esgen\"] " +
    "to run the version your go.mod pins. Highlighting works without it.";
}
