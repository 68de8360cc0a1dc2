/// A runner's refusal, printed as `error: <message>` without a stack of details.
public struct RunnerError: Error, Sendable, CustomStringConvertible {
  public var description: String
  public init(_ description: String) { self.description = description }

  /// The preview runner's answer to everything that needs the service.
  public static let notConnected = RunnerError(
    "no service connected: this session is the offline preview "
      + "(statements are compiled and their request bodies shown, never sent); "
      + "start `lr --lab` for the lab, or `lr --profile NAME` for a tenant")
}
