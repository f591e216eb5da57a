export interface PrivateRuntimeDirOptions {
  /** Folder to create it in; default `os.tmpdir()`. */
  readonly parent?: string;
  /** The current user id; default `process.getuid()` (undefined on Windows). */
  readonly uid?: number;
  /** Registers the removal of a fallback folder; default runs it at process exit. */
  readonly onExit?: (cleanup: () => void) => void;
}

export interface PrivateRuntimeDir {
  readonly path: string;
  /**
   * `stable`: the per-user folder, reused by every process of this user and kept. `temporary`: a fresh folder,
   * removed when the process exits, with `reason` saying why the stable one was refused.
   */
  readonly kind: 'stable' | 'temporary';
  readonly reason?: string;
}

/**
 * A private folder for `XDG_RUNTIME_DIR` (Dawn, the WebGPU of the optional `webgpu` package, warns on every start
 * when the variable is unset). Prefers one stable folder per user, `<tmpdir>/trustrec-xdg-<uid>`, created with
 * mode 0700 when missing, so repeated processes do not pile up folders. The stable folder is refused when it is
 * a symbolic link, not a directory, owned by another user or open to group or others (as the XDG Base Directory
 * specification requires of a runtime directory); then a fresh `mkdtemp` folder (mode 0700) is used instead and
 * removed at process exit. Without a uid (Windows) the fresh folder is used too. Node modules are imported
 * dynamically, as everywhere in the backend code, so browser bundles of this package never load them.
 * @internal
 */
export async function privateRuntimeDir(options: PrivateRuntimeDirOptions = {}): Promise<PrivateRuntimeDir> {
  const { chmodSync, lstatSync, mkdirSync, mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const parent = options.parent ?? tmpdir();
  const uid = options.uid ?? process.getuid?.();
  const onExit = options.onExit ?? ((cleanup: () => void) => process.once('exit', cleanup));
  const refused = (reason: string): PrivateRuntimeDir => {
    const path = mkdtempSync(join(parent, 'trustrec-xdg-'));
    onExit(() => rmSync(path, { recursive: true, force: true }));
    return { path, kind: 'temporary', reason };
  };
  if (uid === undefined) return refused('no user id on this platform');
  const path = join(parent, `trustrec-xdg-${uid}`);
  let stats: import('node:fs').Stats;
  try {
    try {
      mkdirSync(path, { mode: 0o700 });
      chmodSync(path, 0o700); // exactly 0700 whatever the umask (only this user can see a folder just made)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    // lstat, not stat: a symbolic link planted by another user must not be followed.
    stats = lstatSync(path);
  } catch (error) {
    return refused(`cannot use ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (stats.isSymbolicLink()) return refused(`${path} is a symbolic link`);
  if (!stats.isDirectory()) return refused(`${path} is not a directory`);
  if (stats.uid !== uid) return refused(`${path} is owned by uid ${stats.uid}, not ${uid}`);
  const mode = stats.mode & 0o777;
  if (mode !== 0o700) return refused(`${path} has mode ${mode.toString(8)}, not 700`);
  return { path, kind: 'stable' };
}
