import LRPrompt
import LRSystem

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `lr-core`, the executable that runs every command the launcher does not answer itself.
enum Core {
  /// Where `lr-core` is looked for, beside the launcher's real path: the same folder (a build
  /// folder such as `.build/debug`), then the install layout's `../libexec/lr/`.
  static func candidates(launcher: String) -> [String] {
    let folder = FileSystem.parent(launcher)
    return [
      FileSystem.join(folder, "lr-core"),
      FileSystem.join(FileSystem.parent(folder), "libexec/lr/lr-core"),
    ]
  }

  /// The first executable candidate, or nil.
  static func locate() -> String? {
    candidates(launcher: FileSystem.executablePath).first { access($0, X_OK) == 0 }
  }

  /// Replaces this process with the `lr-core` at `path` (from ``locate()``) and the same
  /// arguments, so its process id, descriptors, signals and exit status are lr's own; exits 3
  /// saying where it looked when there is none, or why it could not start it (after giving the
  /// terminal its echo back and clearing the `drawn` prompt's line).
  static func exec(_ path: String?, _ arguments: [String], replacing drawn: InstantPrompt.Drawn?)
    -> Never
  {
    guard let path else {
      let places = candidates(launcher: FileSystem.executablePath)
      StandardStreams.err(
        "lr: lr-core is missing (looked for \(places.joined(separator: " and "))); "
          + "reinstall lr (`make install`, or the release archive's whole folder)\n")
      exit(3)
    }
    var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
    argv.append(nil)
    execv(path, argv)
    let error = errno
    drawn?.takeOver()
    StandardStreams.err("lr: cannot start \(path): \(String(cString: strerror(error)))\n")
    exit(3)
  }
}
