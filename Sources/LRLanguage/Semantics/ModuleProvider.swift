/// Finds the source of a module named in `use "NAME"`. The language does no I/O itself: front ends
/// supply a provider (the file system for `lr`, open buffers for the language server).
public protocol ModuleProvider: Sendable {
  /// Looks up `name` as imported from the file called `importer`.
  func lookup(module name: String, from importer: String) -> ModuleLookup
  /// Names of modules that could be imported from `importer` (for completion).
  func availableModules(from importer: String) -> [String]
}

/// The outcome of a module lookup.
public enum ModuleLookup: Sendable {
  /// The module's source; its ``SourceFile/name`` identifies it (for cycles and diagnostics).
  case found(SourceFile)
  /// Not found; the places searched, for the message.
  case notFound(searched: [String])
}

extension ModuleProvider {
  public func availableModules(from importer: String) -> [String] { [] }
}

/// A provider that knows no modules.
public struct NoModules: ModuleProvider {
  public init() {}
  public func lookup(module name: String, from importer: String) -> ModuleLookup {
    .notFound(searched: [])
  }
}

/// A provider backed by a dictionary of module name → text (tests, the language server's buffers).
public struct InMemoryModules: ModuleProvider {
  public var modules: [String: String]
  public init(_ modules: [String: String]) { self.modules = modules }
  public func lookup(module name: String, from importer: String) -> ModuleLookup {
    guard let text = modules[name] else { return .notFound(searched: ["<memory>"]) }
    return .found(SourceFile(name: "\(name).lr", text: text))
  }
  public func availableModules(from importer: String) -> [String] { modules.keys.sorted() }
}
