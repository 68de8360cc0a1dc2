import Foundation
import LRLanguage

/// Finds `use "NAME"` modules for the server: `NAME.lr` in the importing file's folder, then in the
/// stdlib, preferring the text of documents open in the editor over the files on disk.
///
/// Module source names are absolute paths, so definitions in modules map back to `file://` URIs.
struct WorkspaceModules: ModuleProvider {
  /// The stdlib folder.
  var stdlib: URL?
  /// Open documents by absolute path.
  var openDocuments: [String: [UInt8]]

  func folders(from importer: String) -> [String] {
    var folders: [String] = []
    if importer.hasPrefix("/") {
      folders.append(URL(fileURLWithPath: importer).deletingLastPathComponent().path)
    }
    if let stdlib { folders.append(stdlib.standardizedFileURL.path) }
    return folders
  }

  func lookup(module name: String, from importer: String) -> ModuleLookup {
    let fileName = name.hasSuffix(".lr") ? name : name + ".lr"
    let folders = folders(from: importer)
    for folder in folders {
      let url =
        fileName.hasPrefix("/")
        ? URL(fileURLWithPath: fileName)
        : URL(fileURLWithPath: folder).appendingPathComponent(fileName)
      let path = url.standardizedFileURL.path
      if let open = openDocuments[path] {
        return .found(SourceFile(name: path, bytes: open))
      }
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory),
        !isDirectory.boolValue, let data = FileManager.default.contents(atPath: path)
      {
        return .found(SourceFile(name: path, bytes: Array(data)))
      }
    }
    return .notFound(searched: folders.map { $0 + "/" })
  }

  func availableModules(from importer: String) -> [String] {
    var names = Set<String>()
    for folder in folders(from: importer) {
      let items = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
      for item in items where item.hasSuffix(".lr") { names.insert(String(item.dropLast(3))) }
      for path in openDocuments.keys where path.hasSuffix(".lr") {
        let url = URL(fileURLWithPath: path)
        if url.deletingLastPathComponent().path == folder {
          names.insert(String(url.lastPathComponent.dropLast(3)))
        }
      }
    }
    if importer.hasPrefix("/") {
      names.remove(String(URL(fileURLWithPath: importer).lastPathComponent.dropLast(3)))
    }
    return names.sorted()
  }
}

/// Converts between `file://` URIs and paths.
enum DocumentURI {
  /// The absolute path of a `file://` URI, or nil for other schemes.
  static func path(of uri: String) -> String? {
    guard let url = URL(string: uri), url.isFileURL else { return nil }
    let path = url.standardizedFileURL.path
    return path.isEmpty ? nil : path
  }

  /// The `file://` URI of an absolute path.
  static func uri(ofPath path: String) -> String {
    URL(fileURLWithPath: path).absoluteString
  }
}
