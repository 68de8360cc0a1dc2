import Foundation

/// Finds the repository's `stdlib/scripts` folder, which seeds the lab library.
public enum StdlibLocator {
  /// `$LR_STDLIB` (the `stdlib` folder or its `scripts` folder) if set, else the first
  /// `stdlib/scripts` found walking up from the executable's directory; nil if none.
  public static func scriptsDirectory(
    environment: [String: String] = ProcessInfo.processInfo.environment,
    executablePath: String = StdlibLocator.executablePath
  ) -> URL? {
    let fm = FileManager.default
    func isDirectory(_ url: URL) -> Bool {
      var flag: ObjCBool = false
      return fm.fileExists(atPath: url.path, isDirectory: &flag) && flag.boolValue
    }
    if let env = environment["LR_STDLIB"], !env.isEmpty {
      let url = URL(fileURLWithPath: env)
      let nested = url.appendingPathComponent("scripts")
      return isDirectory(nested) ? nested : url
    }
    var dir = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath()
      .deletingLastPathComponent()
    for _ in 0..<10 {
      let candidate = dir.appendingPathComponent("stdlib/scripts")
      if isDirectory(candidate) { return candidate }
      let parent = dir.deletingLastPathComponent()
      if parent.path == dir.path { break }
      dir = parent
    }
    return nil
  }

  /// The running executable's real path: `/proc/self/exe` on Linux (never the bare name a shell
  /// found through `PATH`), else Foundation's, else `argv[0]`.
  public static var executablePath: String {
    if let real = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"),
      real.hasPrefix("/")
    {
      return real
    }
    return Bundle.main.executablePath ?? CommandLine.arguments.first ?? "."
  }
}
