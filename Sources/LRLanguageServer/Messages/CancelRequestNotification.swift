/// `$/cancelRequest`: the client no longer needs the answer to a request.
public struct CancelRequestNotification: NotificationType, Hashable {
  public static let method = "$/cancelRequest"
  /// The request to cancel.
  public var id: RequestID
  /// Creates the notification.
  public init(id: RequestID) { self.id = id }
}
