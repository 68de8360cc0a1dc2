#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Files, folders and paths through plain system calls, so the modules `lr --version` and
/// `lr check` use link no Foundation (start-up, issue 16.3). Paths are strings; a folder's path
/// never ends in `/` (except the root).
public enum FileSystem {
  /// Whether something exists at `path`.
  public static func exists(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0
  }

  /// Whether `path` is a folder (following symbolic links).
  public static func isDirectory(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
  }

  /// The bytes of the file at `path`, or nil if it cannot be opened or read.
  public static func contents(_ path: String) -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    return readAll(fd)
  }

  /// Everything left on a descriptor (standard input for `-`), or nil on a read error. A file
  /// is read in one chunk of its size (from `fstat`), straight into the array: no zero-filled
  /// buffer, no copy.
  public static func readAll(_ fd: Int32) -> [UInt8]? {
    var info = stat()
    let regular = fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    let chunk = max(regular ? Int(info.st_size) + 1 : 0, 16_384)
    var bytes: [UInt8] = []
    while true {
      var result = 0
      let more = [UInt8](unsafeUninitializedCapacity: chunk) { buffer, count in
        repeat {
          result = read(fd, buffer.baseAddress, chunk)
        } while result < 0 && errno == EINTR
        count = max(result, 0)
      }
      if result < 0 { return nil }
      if result == 0 { return bytes }
      if bytes.isEmpty { bytes = more } else { bytes += more }
    }
  }

  /// The names in a folder (no `.` or `..`), or an empty list if it cannot be read.
  public static func names(in folder: String) -> [String] {
    guard let dir = opendir(folder) else { return [] }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
      let name = withUnsafePointer(to: entry.pointee.d_name) {
        $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names
  }

  /// The process's current folder.
  public static var currentDirectory: String {
    guard let path = getcwd(nil, 0) else { return "/" }
    defer { free(path) }
    return String(cString: path)
  }

  /// The real path of `path` (symbolic links resolved), or nil if it does not exist.
  public static func realPath(_ path: String) -> String? {
    guard let real = realpath(path, nil) else { return nil }
    defer { free(real) }
    return String(cString: real)
  }

  /// The running executable's real path: `/proc/self/exe` on Linux (never the bare name a shell
  /// found through `PATH`), else `argv[0]` resolved.
  public static var executablePath: String {
    if let real = realPath("/proc/self/exe") { return real }
    let first = CommandLine.arguments.first ?? "."
    return realPath(first) ?? first
  }

  /// `path` made absolute against the current folder, with `.`, `..` and repeated slashes
  /// removed without touching the disk (what `URL.standardizedFileURL.path` gives).
  public static func standardize(_ path: String) -> String {
    let absolute = Array((path.hasPrefix("/") ? path : currentDirectory + "/" + path).utf8)
    let slash = UInt8(ascii: "/")
    let dot = UInt8(ascii: ".")
    var parts: [ArraySlice<UInt8>] = []
    var start = 0
    for end in 0...absolute.count where end == absolute.count || absolute[end] == slash {
      let part = absolute[start..<end]
      start = end + 1
      if part.isEmpty || (part.count == 1 && part.first == dot) { continue }
      if part.count == 2 && part.allSatisfy({ $0 == dot }) {
        if !parts.isEmpty { parts.removeLast() }
        continue
      }
      parts.append(part)
    }
    var standard: [UInt8] = []
    for part in parts {
      standard.append(slash)
      standard += part
    }
    return standard.isEmpty ? "/" : String(decoding: standard, as: UTF8.self)
  }

  /// The folder holding `path` (`/` for the root and for a name at the root).
  public static func parent(_ path: String) -> String {
    let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    guard let slash = trimmed.lastIndex(of: "/") else { return "." }
    let head = trimmed[..<slash]
    return head.isEmpty ? "/" : String(head)
  }

  /// The last component of `path`.
  public static func lastComponent(_ path: String) -> String {
    let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    guard let slash = trimmed.lastIndex(of: "/") else { return trimmed }
    return String(trimmed[trimmed.index(after: slash)...])
  }

  /// `folder/name`.
  public static func join(_ folder: String, _ name: String) -> String {
    folder.hasSuffix("/") ? folder + name : folder + "/" + name
  }
}
