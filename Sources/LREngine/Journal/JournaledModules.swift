import LRLanguage

/// Modules as a run journaled them: `use` resolves as it did when the run was compiled (through
/// `fallback`'s search rule), but the text is the journaled one, so `lr resume` recompiles exactly
/// what ran even if a module file changed or went away since.
public struct JournaledModules: ModuleProvider {
  /// Journaled module texts by source name.
  public var modules: [String: String]
  /// The file-system rule that found them.
  public var fallback: any ModuleProvider

  public init(_ modules: [String: String], fallback: any ModuleProvider) {
    self.modules = modules
    self.fallback = fallback
  }

  public func lookup(module name: String, from importer: String) -> ModuleLookup {
    let found = fallback.lookup(module: name, from: importer)
    if case .found(let file) = found, let text = modules[file.name] {
      return .found(SourceFile(name: file.name, text: text))
    }
    // The file went away: the journaled module of that name, if there is exactly one.
    let fileName = name.hasSuffix(".lr") ? name : name + ".lr"
    let candidates = modules.keys.filter { $0 == fileName || $0.hasSuffix("/" + fileName) }
    if candidates.count == 1, let key = candidates.first, let text = modules[key] {
      return .found(SourceFile(name: key, text: text))
    }
    return found
  }

  public func availableModules(from importer: String) -> [String] {
    fallback.availableModules(from: importer)
  }
}

extension JournaledModules {
  /// The texts to journal for a compiled input: every source but the main one, by name.
  public static func texts(of sources: [String: SourceFile], except main: String) -> [String:
    String]
  {
    var texts: [String: String] = [:]
    for (name, file) in sources where name != main {
      texts[name] = String(decoding: file.bytes, as: UTF8.self)
    }
    return texts
  }
}
