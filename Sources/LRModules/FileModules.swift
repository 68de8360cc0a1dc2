import LRLanguage
import LRSystem

/// Finds `use "NAME"` modules on disk, the same way for `lr check`, `lr run`, the REPL and
/// `lr lsp`: `NAME.lr` in the importing file's folder, then in the stdlib.
///
/// An importer that is no file (`<stdin>`, `<repl>`, an editor's `untitled:` URI) searches the
/// current directory instead of its folder. The text of documents open in an editor is preferred
/// over the file on disk. A module never suggests its own importer.
public struct FileModules: ModuleProvider {
  /// The stdlib's modules folder, searched after the importer's folder.
  public var stdlib: String?
  /// The text of open documents by absolute, standardized path (the language server's buffers).
  public var openDocuments: [String: [UInt8]]
  /// How found modules are named.
  public var naming: ModuleNaming

  /// A provider; by default the stdlib ``StdlibLocator`` finds and names relative to the current
  /// directory.
  public init(
    stdlib: String? = StdlibLocator.modulesDirectory(), openDocuments: [String: [UInt8]] = [:],
    naming: ModuleNaming = .relativeToCurrentDirectory
  ) {
    self.stdlib = stdlib
    self.openDocuments = openDocuments
    self.naming = naming
  }

  /// The folders searched for modules imported from `importer`, in order.
  public func searchPath(from importer: String) -> [String] {
    var folders: [String] = []
    if let file = Self.file(importer) {
      folders.append(FileSystem.parent(file))
    } else {
      folders.append(FileSystem.currentDirectory)
    }
    if let stdlib { folders.append(FileSystem.standardize(stdlib)) }
    return folders
  }

  public func lookup(module name: String, from importer: String) -> ModuleLookup {
    let fileName = name.hasSuffix(".lr") ? name : name + ".lr"
    let folders = searchPath(from: importer)
    for folder in folders {
      let path = FileSystem.standardize(
        fileName.hasPrefix("/") ? fileName : FileSystem.join(folder, fileName))
      if let open = openDocuments[path] {
        return .found(SourceFile(name: naming.name(of: path), bytes: open))
      }
      if !FileSystem.isDirectory(path), let bytes = FileSystem.contents(path) {
        return .found(SourceFile(name: naming.name(of: path), bytes: bytes))
      }
    }
    return .notFound(searched: folders.map { naming.name(of: $0) + "/" })
  }

  public func availableModules(from importer: String) -> [String] {
    var names = Set<String>()
    for folder in searchPath(from: importer) {
      for item in FileSystem.names(in: folder) where item.hasSuffix(".lr") {
        names.insert(String(item.dropLast(3)))
      }
      for path in openDocuments.keys where path.hasSuffix(".lr") {
        if FileSystem.parent(path) == folder {
          names.insert(String(FileSystem.lastComponent(path).dropLast(3)))
        }
      }
    }
    if let file = Self.file(importer), file.hasSuffix(".lr") {
      names.remove(String(FileSystem.lastComponent(file).dropLast(3)))
    }
    return names.sorted()
  }

  /// The importer's file, or nil when it names none (`<stdin>`, `<repl>`, `untitled:…`).
  static func file(_ importer: String) -> String? {
    if importer.hasPrefix("<") || importer.isEmpty { return nil }
    if let colon = importer.firstIndex(of: ":"),
      !importer[..<colon].contains("/")
    {
      return nil
    }
    return FileSystem.standardize(importer)
  }
}
