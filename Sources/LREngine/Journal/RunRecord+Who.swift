import Foundation

extension RunRecord {
  /// The operating-system user lr runs as (`USER`, else the password database), or nil.
  public static func currentUser(
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> String? {
    if let user = environment["USER"], !user.isEmpty { return user }
    guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return nil }
    return String(cString: name)
  }
}
