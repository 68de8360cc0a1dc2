/// `exit`: end the process (status 0 after `shutdown`, 1 otherwise).
public struct ExitNotification: NotificationType, Hashable {
  public static let method = "exit"
  /// Creates the notification.
  public init() {}
}
