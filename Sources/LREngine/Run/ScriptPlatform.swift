import DefenderClient
import LRLanguage
import LiveResponse

/// The platforms a statement's scripts can run on, from the library file names' extensions
/// (`.ps1` Windows, `.sh` Linux or macOS); nil when no script says.
public struct ScriptPlatform: Sendable, Equatable, CustomStringConvertible {
  /// A platform family a script is written for.
  public enum Family: String, Sendable, Hashable, CaseIterable {
    case windows = "Windows"
    case linux = "Linux"
    case macOS = "macOS"
  }

  /// The families every script of the statement can run on.
  public var families: Set<Family>

  /// The families a library file name's extension implies, if it implies any.
  public static func families(ofFile name: String) -> Set<Family>? {
    let lower = name.lowercased()
    guard let dot = lower.lastIndex(of: ".") else { return nil }
    switch lower[lower.index(after: dot)...] {
    case "ps1", "psm1", "bat", "cmd", "vbs": return [.windows]
    case "sh", "bash": return [.linux, .macOS]
    default: return nil
    }
  }

  /// The platform of a statement: what every script (RunScript) it runs can run on.
  public static func of(_ statement: PlannedStatement) -> ScriptPlatform? {
    var families: Set<Family>?
    for request in statement.requests {
      for command in request.commands where command.type == .runScript {
        guard let name = command.param("ScriptName")?.literal,
          let found = Self.families(ofFile: name)
        else { continue }
        families = families.map { $0.intersection(found) } ?? found
      }
    }
    return families.map(ScriptPlatform.init(families:))
  }

  /// Whether a machine's reported platform is one of the script's (nil: the machine reports none).
  public func fits(_ platform: MachinePlatform) -> Bool? {
    switch platform {
    case .windows: return families.contains(.windows)
    case .linux: return families.contains(.linux)
    case .macOS: return families.contains(.macOS)
    case .other: return false
    case .unknown: return nil
    }
  }

  /// `Windows`, `Linux or macOS`.
  public var description: String {
    Family.allCases.filter(families.contains).map(\.rawValue).joined(separator: " or ")
  }
}
