/// A secret string (client secret, access or refresh token) that never prints itself.
///
/// `description`, `debugDescription`, string interpolation, `String(reflecting:)` and `dump()`
/// (through an empty ``customMirror``) all show `<redacted>`; read the value only where it goes on
/// the wire, through ``revealed``. It decodes from a plain string (config files) but is
/// deliberately not `Encodable`: writing one out (the sign-in cache) has to say `revealed`.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
  CustomReflectable, Decodable
{
  /// The secret value; use only to build a request body.
  public let revealed: String

  /// Wraps a secret value.
  public init(_ value: String) { self.revealed = value }

  /// Decodes a bare string.
  public init(from decoder: any Decoder) throws {
    revealed = try decoder.singleValueContainer().decode(String.self)
  }

  /// Always `<redacted>`.
  public var description: String { "<redacted>" }
  /// Always `<redacted>`.
  public var debugDescription: String { "<redacted>" }
  /// No children, so `dump()` and mirrors never reach the value.
  public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
