import LRLanguage
import LRSystem

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads `.lr` files (or standard input for `-`) into ``SourceFile``s.
public enum SourceLoader {
  /// The source of a path argument, or a usage error naming the file.
  public static func load(_ path: String) throws(UsageError) -> SourceFile {
    if path == "-" {
      guard let bytes = FileSystem.readAll(STDIN_FILENO) else {
        throw UsageError(
          "<stdin>: cannot read standard input (\(String(cString: strerror(errno))))")
      }
      return SourceFile(name: "<stdin>", bytes: bytes)
    }
    guard FileSystem.exists(path) else {
      let guess = path + ".lr"
      let hint = FileSystem.exists(guess) ? "; did you mean \(guess)?" : ""
      throw UsageError("\(path): no such file\(hint)")
    }
    guard !FileSystem.isDirectory(path) else {
      let folder = path.hasSuffix("/") ? String(path.dropLast()) : path
      throw UsageError("\(path): is a directory; name its scripts: \(folder)/*.lr")
    }
    guard let bytes = FileSystem.contents(path) else {
      throw UsageError("\(path): cannot read the file")
    }
    return SourceFile(name: path, bytes: bytes)
  }
}
