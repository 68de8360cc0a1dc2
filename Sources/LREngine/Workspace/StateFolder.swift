import DefenderClient
import Foundation

/// Where lr keeps its state: `$XDG_STATE_HOME/lr` when that is an absolute path, else
/// `$HOME/.local/state/lr` (the passwd home only when `HOME` is unset). The journal, the audit
/// log and the REPL's history live here; nothing else decides the location.
public enum StateFolder {
  /// The `lr` state folder for an environment.
  public static func url(
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> URL {
    if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
      return URL(fileURLWithPath: state).appendingPathComponent("lr")
    }
    let home = HomeFolder.path(environment: environment)
    return URL(fileURLWithPath: home).appendingPathComponent(".local/state/lr")
  }

  /// The journal: `journal.sqlite` in the state folder.
  public static func journal(
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> URL {
    url(environment: environment).appendingPathComponent("journal.sqlite")
  }

  /// The audit log: `audit.jsonl` in the state folder.
  public static func auditLog(
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> URL {
    url(environment: environment).appendingPathComponent("audit.jsonl")
  }
}
