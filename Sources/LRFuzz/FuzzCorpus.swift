import Foundation
import LRLanguage

/// The inputs that once failed (`Tests/fuzz-corpus/<kind>/<hash>`), kept and replayed by the tests.
public struct FuzzCorpus: Sendable {
  /// The corpus folder.
  public var folder: URL

  /// A corpus in `folder`.
  public init(folder: URL) { self.folder = folder }

  /// The name of an input: 16 hex digits of its FNV-1a hash.
  public static func name(of bytes: [UInt8]) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes {
      hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
    }
    let hex = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
  }

  /// Saves an input under its kind; returns its path.
  @discardableResult
  public func save(_ bytes: [UInt8], kind: FuzzKind) throws -> URL {
    let dir = folder.appendingPathComponent(kind.rawValue)
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let file = dir.appendingPathComponent(FuzzCorpus.name(of: bytes))
    try Data(bytes).write(to: file)
    return file
  }

  /// Every corpus file with its kind, sorted by path.
  public func entries() -> [(kind: FuzzKind, file: URL)] {
    FuzzKind.allCases.flatMap { kind -> [(kind: FuzzKind, file: URL)] in
      let dir = folder.appendingPathComponent(kind.rawValue)
      let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
      return names.filter { !$0.hasPrefix(".") }.sorted().map {
        (kind, dir.appendingPathComponent($0))
      }
    }
  }

  /// The stdlib modules under `root/stdlib`, for `use` in inputs.
  public static func stdlibModules(root: URL) -> InMemoryModules {
    let dir = root.appendingPathComponent("stdlib")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
    var modules: [String: String] = [:]
    for name in names where name.hasSuffix(".lr") {
      let text = try? String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
      modules[String(name.dropLast(3))] = text
    }
    return InMemoryModules(modules)
  }
}
