import Foundation

/// The user's home folder, as every lr setting and state path reads it: `$HOME`, and only when
/// it is unset or empty the account's home from the password database.
public enum HomeFolder {
  /// The home folder for an environment.
  public static func path(
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> String {
    if let home = environment["HOME"], !home.isEmpty { return home }
    guard let entry = getpwuid(getuid()), let directory = entry.pointee.pw_dir else { return "/" }
    return String(cString: directory)
  }
}
