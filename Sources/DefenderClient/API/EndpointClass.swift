/// A family of API calls sharing one rate budget (the docs give limits per API).
public struct EndpointClass: Hashable, Sendable, CustomStringConvertible {
  /// A short name (`runliveresponse`, `machineactions`...).
  public let name: String
  /// The application permission a 403 on this class most likely means is missing.
  public let permission: String
  /// Whether this class uses the `runliveresponse` per-minute limit (and no hourly one).
  public let isLiveResponse: Bool

  /// `POST /api/machines/{id}/runliveresponse` (10/min).
  public static let runLiveResponse = EndpointClass(
    name: "runliveresponse", permission: "Machine.LiveResponse", isLiveResponse: true)
  /// `GET /api/machineactions[/{id}]` (status polling).
  public static let machineActions = EndpointClass(
    name: "machineactions", permission: "Machine.Read.All", isLiveResponse: false)
  /// `POST /api/machineactions/{id}/cancel`.
  public static let cancel = EndpointClass(
    name: "cancel", permission: "Machine.LiveResponse", isLiveResponse: false)
  /// `GET .../GetLiveResponseResultDownloadLink(index=N)`.
  public static let resultLink = EndpointClass(
    name: "result-link", permission: "Machine.Read.All or Machine.LiveResponse",
    isLiveResponse: false)
  /// `/api/libraryfiles` list, upload, delete.
  public static let library = EndpointClass(
    name: "libraryfiles", permission: "Library.Manage", isLiveResponse: false)
  /// `GET /api/machines[/{id}]`.
  public static let machines = EndpointClass(
    name: "machines", permission: "Machine.Read.All", isLiveResponse: false)

  /// The sign-in's token endpoint (the authority; no API budget, reported when it is retried).
  public static let signIn = EndpointClass(
    name: "sign-in", permission: "none (the authority's token endpoint)", isLiveResponse: false)

  /// The name.
  public var description: String { name }
}
