/// `initialized`: the client received the `initialize` answer.
public struct InitializedNotification: NotificationType, Hashable {
  public static let method = "initialized"
  /// Creates the notification.
  public init() {}
}
