/// Where a runner sends statements; the prompt shows it (`lr(lab:WS-0142)> `).
public enum RunnerKind: Sendable, Hashable {
  /// Nothing is sent: the preview prints the request bodies.
  case offline
  /// The in-process emulator with the demo fleet.
  case lab
  /// A tenant, through a configured profile.
  case service(profile: String)

  /// The word in the prompt.
  public var label: String {
    switch self {
    case .offline: "offline"
    case .lab: "lab"
    case .service(let profile): profile
    }
  }

  /// The REPL's prompt: `lr(lab)> `, or `lr(lab:WS-0142)> ` with a default machine (already made
  /// safe to print).
  public func prompt(machine: String?) -> String {
    "lr(\(label)\(machine.map { ":" + $0 } ?? ""))> "
  }
}

extension RunnerKind: CustomStringConvertible {
  /// A phrase for banners and `.profile`.
  public var description: String {
    switch self {
    case .offline: "offline preview (nothing is sent)"
    case .lab: "the lab (in-process emulator)"
    case .service(let profile): "profile \(profile)"
    }
  }
}
