import Foundation
import LRLanguage
import LRModules

/// Reads `.lr` files (or standard input for `-`) into ``SourceFile``s.
enum SourceLoader {
  /// The source of a path argument, or a usage error naming the file.
  static func load(_ path: String) throws -> SourceFile {
    if path == "-" {
      let data: Data
      do { data = try FileHandle.standardInput.readToEnd() ?? Data() } catch {
        throw UsageError("<stdin>: cannot read standard input (\(error.localizedDescription))")
      }
      return SourceFile(name: "<stdin>", bytes: Array(data))
    }
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw UsageError("\(path): no such file")
    }
    guard !isDirectory.boolValue else { throw UsageError("\(path): is a directory") }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw UsageError("\(path): cannot read the file")
    }
    return SourceFile(name: path, bytes: Array(data))
  }
}
