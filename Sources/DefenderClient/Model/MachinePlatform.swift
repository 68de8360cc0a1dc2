import Foundation

/// A device's platform family as lr decides by it. A device that reports no `osPlatform` (a
/// newly onboarded one does for a while) is ``unknown``, its own state, never assumed Windows.
public enum MachinePlatform: Sendable, Equatable, CustomStringConvertible {
  /// `Windows10`, `Windows11`, `WindowsServer2022`, … (any `Windows*`).
  case windows
  /// `Linux` and its distributions' names (`Ubuntu`, `RedHatEnterpriseLinux`, …).
  case linux
  /// `macOS` (also `MacOS`, `OSX`).
  case macOS
  /// A platform lr does not sort (`iOS`, `Android`, …), as reported.
  case other(String)
  /// No `osPlatform` reported (null, missing or empty).
  case unknown

  /// The family of a reported `osPlatform` value.
  public init(osPlatform: String?) {
    guard let raw = osPlatform?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else {
      self = .unknown
      return
    }
    let lower = raw.lowercased()
    if lower.hasPrefix("windows") {
      self = .windows
    } else if lower.hasPrefix("mac") || lower == "osx" {
      self = .macOS
    } else if ["linux", "ubuntu", "redhat", "centos", "debian", "suse", "sles", "oracle", "amazon"]
      .contains(where: lower.hasPrefix)
    {
      self = .linux
    } else {
      self = .other(raw)
    }
  }

  /// `Windows`, `Linux`, `macOS`, the reported name, or `unknown`.
  public var description: String {
    switch self {
    case .windows: return "Windows"
    case .linux: return "Linux"
    case .macOS: return "macOS"
    case .other(let name): return name
    case .unknown: return "unknown"
    }
  }
}

extension Machine {
  /// The device's platform family; ``MachinePlatform/unknown`` when it reports none.
  public var platform: MachinePlatform { MachinePlatform(osPlatform: osPlatform) }
}
