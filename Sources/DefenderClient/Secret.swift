/// A secret string (client secret, refresh token) that never prints itself.
///
/// `description`, `debugDescription` and string interpolation all show `<redacted>`; read the
/// value only where it goes on the wire, through ``revealed``.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
  /// The secret value; use only to build a request body.
  public let revealed: String

  /// Wraps a secret value.
  public init(_ value: String) { self.revealed = value }

  /// Always `<redacted>`.
  public var description: String { "<redacted>" }
  /// Always `<redacted>`.
  public var debugDescription: String { "<redacted>" }
}
