import LRSystem

/// How a module found on disk is named in diagnostics and symbols.
public enum ModuleNaming: Sendable {
  /// Relative to the current directory when the file is below it, else absolute (`lr` on the
  /// command line and in the REPL).
  case relativeToCurrentDirectory
  /// Always the absolute, standardized path (the language server maps it back to a `file://`
  /// URI).
  case absolute

  /// The name of a file or folder.
  public func name(of path: String) -> String {
    let path = FileSystem.standardize(path)
    switch self {
    case .absolute: return path
    case .relativeToCurrentDirectory:
      let cwd = FileSystem.currentDirectory
      if path.hasPrefix(cwd + "/") { return String(path.dropFirst(cwd.count + 1)) }
      return path
    }
  }
}
