import LRSystem

/// Finds lr's standard library: the `.lr` modules (`stdlib/`) and the library scripts
/// (`stdlib/scripts`) that seed the emulator's library and that `lr library sync` uploads.
public enum StdlibLocator {
  /// `$LR_STDLIB` (the `stdlib` folder or its `scripts` folder) if set, else the install
  /// layout's `share/lr/stdlib/scripts` beside the executable's folder (`bin/lr`) or its
  /// parent's (`libexec/lr/lr-core`), else the first `stdlib/scripts` found walking up from the
  /// executable's folder (a checkout); nil if none.
  public static func scriptsDirectory(
    environment: [String: String] = ProcessEnvironment.variables("LR_STDLIB"),
    executablePath: String = FileSystem.executablePath
  ) -> String? {
    if let env = environment["LR_STDLIB"], !env.isEmpty {
      let path = FileSystem.standardize(env)
      let nested = FileSystem.join(path, "scripts")
      return FileSystem.isDirectory(nested) ? nested : path
    }
    var dir = FileSystem.parent(FileSystem.realPath(executablePath) ?? executablePath)
    let prefixes = [FileSystem.parent(dir), FileSystem.parent(FileSystem.parent(dir))]
    for prefix in prefixes {
      let installed = FileSystem.join(prefix, installedScripts)
      if FileSystem.isDirectory(installed) { return installed }
    }
    for _ in 0..<10 {
      let candidate = FileSystem.join(dir, "stdlib/scripts")
      if FileSystem.isDirectory(candidate) { return candidate }
      let parent = FileSystem.parent(dir)
      if parent == dir { break }
      dir = parent
    }
    return nil
  }

  /// The install layout's scripts folder, relative to the prefix (`bin/lr`'s parent).
  public static let installedScripts = "share/lr/stdlib/scripts"

  /// The folder of the stdlib's `.lr` modules: `$LR_STDLIB` as given if set, else the folder
  /// holding the scripts folder ``scriptsDirectory(environment:executablePath:)`` finds; nil if
  /// none.
  public static func modulesDirectory(
    environment: [String: String] = ProcessEnvironment.variables("LR_STDLIB"),
    executablePath: String = FileSystem.executablePath
  ) -> String? {
    if let env = environment["LR_STDLIB"], !env.isEmpty {
      return FileSystem.standardize(env)
    }
    return scriptsDirectory(environment: environment, executablePath: executablePath)
      .map(FileSystem.parent)
  }
}
