import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Result downloads: SAS-like signed, expiring URLs on a blob-storage-like path of the same server,
/// fetched without the bearer token.
extension EmulatorService {
  /// A link to command `index`'s result of action `actionId`, valid for the link lifetime.
  func signedLink(actionId: String, index: Int, base: String) -> String {
    let expiry = clock.now().addingTimeInterval(limits.linkLifetimeSeconds)
    let se = EntityDate.formatSeconds(expiry)
    let blob = "\(actionId)/CustomPlaybookCommandOutput/\(index)"
    let sig = signature(blob: blob, se: se)
    let query = [
      ("se", se), ("sp", "r"), ("sv", "2019-07-07"), ("sr", "b"), ("sig", sig),
    ].map { "\($0.0)=\(Self.sasEncode($0.1))" }.joined(separator: "&")
    return "\(base)/blob/investigation-actions-data/\(blob)?\(query)"
  }

  private func signature(blob: String, se: String) -> String {
    let mac = HMAC<SHA256>.authenticationCode(
      for: Data("r\n\(se)\n/blob/investigation-actions-data/\(blob)".utf8), using: linkKey)
    return Data(mac).base64EncodedString()
  }

  private static func sasEncode(_ s: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
  }

  /// Serves `GET /blob/investigation-actions-data/{action}/CustomPlaybookCommandOutput/{index}`.
  func blob(_ request: Request, segments: [String]) async throws -> Response {
    guard request.method == .get || request.method == .head else {
      return Self.storageError(
        .methodNotAllowed, "UnsupportedHttpVerb",
        "The resource doesn't support specified Http Verb.")
    }
    guard segments.count == 5, segments[1] == "investigation-actions-data",
      segments[3] == "CustomPlaybookCommandOutput", let index = Int(segments[4])
    else {
      return Self.storageError(.notFound, "BlobNotFound", "The specified blob does not exist.")
    }
    let query = Dictionary(
      QueryString.parse(request.uri.query).map { ($0.0, $0.1) }, uniquingKeysWith: { $1 })
    guard let se = query["se"], let sig = query["sig"], query["sp"] == "r" else {
      return Self.storageError(
        .forbidden, "AuthenticationFailed",
        "Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature."
      )
    }
    let blob = "\(segments[2])/CustomPlaybookCommandOutput/\(index)"
    let expected = signature(blob: blob, se: se)
    guard Data(expected.utf8).elementsEqual(Data(sig.utf8)) else {
      return Self.storageError(
        .forbidden, "AuthenticationFailed",
        "Server failed to authenticate the request. Signature did not match.")
    }
    guard let expiry = EntityDate.parse(se), expiry > clock.now() else {
      return Self.storageError(
        .forbidden, "AuthenticationFailed",
        "Server failed to authenticate the request. Signed expiry time [\(se)] must be after signed start time and current time."
      )
    }
    let result: CommandResult
    do {
      result = try await state.result(actionId: segments[2], index: index)
    } catch {
      return Self.storageError(.notFound, "BlobNotFound", "The specified blob does not exist.")
    }
    var headers: HTTPFields = [
      .contentType: "application/octet-stream",
      .msBlobType: "BlockBlob",
      .msVersion: "2019-07-07",
    ]
    switch result {
    case .transcript(let bytes):
      headers[.contentLength] = String(bytes.count)
      if request.method == .head { return Response(status: .ok, headers: headers) }
      return Response(
        status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    case .file(let spec):
      if request.method == .head { return Response(status: .ok, headers: headers) }
      let body = ResponseBody { writer in
        try await FileContent.streamGzip(spec) { buffer in
          try await writer.write(contentsOf: CollectionOfOne(buffer))
        }
        try await writer.finish(nil)
      }
      return Response(status: .ok, headers: headers, body: body)
    }
  }

  /// An Azure Storage style XML error.
  static func storageError(_ status: HTTPResponse.Status, _ code: String, _ message: String)
    -> Response
  {
    let xml =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>\(code)</Code><Message>\(message)\nRequestId:\(UUID().uuidString.lowercased())\nTime:\(EntityDate.format(Date()))</Message></Error>"
    return Response(
      status: status,
      headers: [.contentType: "application/xml", .msErrorCode: code],
      body: .init(byteBuffer: ByteBuffer(string: xml)))
  }
}

extension HTTPField.Name {
  /// Builds a header name known to be valid at compile time.
  static func known(_ name: String) -> HTTPField.Name {
    HTTPField.Name(name) ?? .contentType
  }
  static let msBlobType = known("x-ms-blob-type")
  static let msVersion = known("x-ms-version")
  static let msErrorCode = known("x-ms-error-code")
  static let adminKey = known("x-emulator-admin-key")
}
