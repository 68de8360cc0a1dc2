import Foundation

/// Derives where a retrieved file is saved from the remote path the device reported, so nothing
/// escapes the results folder: no `..`, no absolute paths, no device names, no control characters.
///
/// `C:\windows\TEMP\x.zip` on `ws-0142` in run `r1` becomes `<root>/r1/ws-0142/C/windows/TEMP/x.zip`.
public enum SafeResultPath {
  /// Windows device names that must not be file names (any case, any extension).
  static let deviceNames: Set<String> = {
    var names: Set<String> = ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$"]
    for digit in 0...9 {
      names.insert("COM\(digit)")
      names.insert("LPT\(digit)")
    }
    for superscript in ["¹", "²", "³"] {
      names.insert("COM\(superscript)")
      names.insert("LPT\(superscript)")
    }
    return names
  }()

  /// The longest component kept, in UTF-8 bytes.
  static let maximumComponentBytes = 200

  /// One safe path component (never empty, never `.`/`..`, no separators, no control characters).
  public static func component(_ raw: String) -> String {
    var text = ""
    for scalar in raw.unicodeScalars {
      switch scalar {
      case _ where scalar.properties.generalCategory == .control,
        _ where scalar.properties.generalCategory == .format,
        "\u{2028}", "\u{2029}":
        text.append("_")
      case "/", "\\", ":", "*", "?", "\"", "<", ">", "|":
        text.append("_")
      default:
        text.unicodeScalars.append(scalar)
      }
    }
    // Windows ignores trailing dots and spaces; leading ones hide files or confuse shells.
    while let last = text.last, last == "." || last == " " { text.removeLast() }
    while let first = text.first, first == " " { text.removeFirst() }
    if text.hasPrefix(".") { text = "_" + text.dropFirst() }
    if text.hasPrefix("-") { text = "_" + text.dropFirst() }
    if text.isEmpty { text = "_" }
    let stem = text.split(separator: ".", maxSplits: 1).first.map(String.init) ?? text
    if deviceNames.contains(stem.uppercased()) { text = "_" + text }
    if text.utf8.count > maximumComponentBytes {
      var cut = ""
      for character in text {
        if cut.utf8.count + String(character).utf8.count > maximumComponentBytes { break }
        cut.append(character)
      }
      text = cut
    }
    return text
  }

  /// The safe relative components for a remote Windows, UNC or POSIX path.
  public static func relativeComponents(forRemotePath remote: String) -> [String] {
    var path = remote
    // Win32 namespaces: \\?\C:\x, \\.\C:\x, \??\C:\x ; UNC: \\server\share\x, \\?\UNC\server\...
    for prefix in [#"\\?\UNC\"#, #"\\.\UNC\"#] where path.uppercased().hasPrefix(prefix) {
      path = "UNC\\" + path.dropFirst(prefix.count)
    }
    for prefix in [#"\\?\"#, #"\\.\"#, #"\??\"#] where path.hasPrefix(prefix) {
      path = String(path.dropFirst(prefix.count))
    }
    if path.hasPrefix(#"\\"#) || path.hasPrefix("//") { path = "UNC/" + path.dropFirst(2) }
    var components: [String] = []
    for (position, raw) in path.split(whereSeparator: { $0 == "\\" || $0 == "/" }).enumerated() {
      var part = String(raw)
      if position == 0, part.count == 2, part.last == ":", let drive = part.first, drive.isLetter {
        part = String(drive).uppercased()
      }
      if part == "." || part == ".." || part.trimmingCharacters(in: .whitespaces).isEmpty {
        continue
      }
      components.append(component(part))
    }
    return components.isEmpty ? ["unnamed"] : components
  }

  /// The full destination under `root/run/machine/`, checked to stay inside `root`.
  ///
  /// - Throws: an invalid-input error if the result would leave `root` (e.g. through a symlink).
  public static func destination(root: String, run: String, machine: String, remotePath: String)
    throws(DefenderClientError) -> String
  {
    let base = URL(fileURLWithPath: root).standardizedFileURL
    var url = base.appendingPathComponent(component(run)).appendingPathComponent(
      component(machine))
    for part in relativeComponents(forRemotePath: remotePath) {
      url.appendPathComponent(part)
    }
    let final = url.standardizedFileURL.path
    guard final.hasPrefix(base.path + "/") else {
      throw .invalidInput("refusing to save \(remotePath) outside \(root)")
    }
    return final
  }

  /// Creates the parent folders of `path` and checks, after resolving symlinks, that they are
  /// still inside `root`.
  public static func prepareParent(of path: String, root: String) throws(DefenderClientError) {
    let parent = URL(fileURLWithPath: path).deletingLastPathComponent()
    do {
      try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
    } catch {
      throw .invalidInput("cannot create \(parent.path): \(error.localizedDescription)")
    }
    let realRoot = URL(fileURLWithPath: root).resolvingSymlinksInPath().path
    let realParent = parent.resolvingSymlinksInPath().path
    guard realParent == realRoot || realParent.hasPrefix(realRoot + "/") else {
      throw .invalidInput("refusing to save under \(parent.path): it resolves outside \(root)")
    }
  }
}
