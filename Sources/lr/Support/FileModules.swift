import Foundation
import LRLanguage

/// Loads `use "NAME"` modules from disk: the importing file's folder first, then the stdlib.
struct FileModules: ModuleProvider {
  var stdlib: URL?

  init(stdlib: URL? = Stdlib.directory) {
    self.stdlib = stdlib
  }

  func searchPath(from importer: String) -> [URL] {
    var folders: [URL] = []
    if importer.hasPrefix("<") {
      folders.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
    } else {
      folders.append(URL(fileURLWithPath: importer).deletingLastPathComponent())
    }
    if let stdlib { folders.append(stdlib) }
    return folders
  }

  func lookup(module name: String, from importer: String) -> ModuleLookup {
    let fileName = name.hasSuffix(".lr") ? name : name + ".lr"
    let folders = searchPath(from: importer)
    for folder in folders {
      let url =
        fileName.hasPrefix("/")
        ? URL(fileURLWithPath: fileName) : folder.appendingPathComponent(fileName)
      if let data = FileManager.default.contents(atPath: url.path) {
        return .found(SourceFile(name: SourceLoader.displayName(url), bytes: Array(data)))
      }
    }
    return .notFound(searched: folders.map { SourceLoader.displayName($0) + "/" })
  }

  func availableModules(from importer: String) -> [String] {
    var names = Set<String>()
    for folder in searchPath(from: importer) {
      let items = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
      for item in items where item.hasSuffix(".lr") { names.insert(String(item.dropLast(3))) }
    }
    return names.sorted()
  }
}

/// Reads `.lr` files (or standard input for `-`) into ``SourceFile``s.
enum SourceLoader {
  /// A path relative to the current directory when the file is below it, else absolute.
  static func displayName(_ url: URL) -> String {
    let cwd = FileManager.default.currentDirectoryPath
    let path = url.standardizedFileURL.path
    if path.hasPrefix(cwd + "/") { return String(path.dropFirst(cwd.count + 1)) }
    return path
  }

  /// The source of a path argument, or a usage error naming the file.
  static func load(_ path: String) throws -> SourceFile {
    if path == "-" {
      let data = FileHandle.standardInput.readDataToEndOfFile()
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

/// A usage problem reported as `lr: message` with exit status 2.
struct UsageError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
