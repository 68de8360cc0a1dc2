/// `shutdown`: stop serving; the answer is `null`. Only `exit` may follow.
public struct ShutdownRequest: RequestType, Hashable {
  public static let method = "shutdown"
  public typealias Response = EmptyObject?
  /// Creates the request.
  public init() {}
}
