import Crypto
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// What to send with a library upload (multipart form fields).
public struct LibraryUpload: Sendable, Equatable {
  /// The file name in the library (letters, digits, `-`, `_`, `.`).
  public var fileName: String
  /// The content.
  public var content: Data
  /// `Description`.
  public var description: String?
  /// `HasParameters`.
  public var hasParameters: Bool?
  /// `ParametersDescription`.
  public var parametersDescription: String?
  /// `OverrideIfExists`.
  public var overrideIfExists: Bool

  /// Creates an upload.
  public init(
    fileName: String, content: Data, description: String? = nil, hasParameters: Bool? = nil,
    parametersDescription: String? = nil, overrideIfExists: Bool = false
  ) {
    self.fileName = fileName
    self.content = content
    self.description = description
    self.hasParameters = hasParameters
    self.parametersDescription = parametersDescription
    self.overrideIfExists = overrideIfExists
  }

  /// The API's upload size limit (20 MB).
  public static let maximumSize = 20 * 1024 * 1024

  /// Checks the name and size before anything is sent.
  public func validate() throws(DefenderClientError) {
    let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
    guard !fileName.isEmpty, fileName.allSatisfy({ allowed.contains($0) }), fileName != ".",
      fileName != ".."
    else {
      throw .invalidInput(
        "library file name \"\(fileName)\" may contain only letters, digits, '-', '_' and '.'")
    }
    guard content.count <= Self.maximumSize else {
      throw .invalidInput(
        "\(fileName) is \(content.count) bytes; the API accepts library files up to 20 MB")
    }
  }

  /// Lowercase hex SHA-256 of the content.
  public var sha256: String {
    SHA256.hash(data: content).map { String(format: "%02x", $0) }.joined()
  }
}

/// `/api/libraryfiles`: list, multipart upload, delete.
extension DefenderAPI {
  /// The library's files (every page, following `@odata.nextLink`).
  public func libraryFiles() async throws -> [LibraryFile] {
    var call = Call(method: .GET, path: "/api/libraryfiles", endpoint: .library, idempotent: true)
    var files: [LibraryFile] = []
    while true {
      let page = try decodePage(LibraryFile.self, from: try await send(call), what: "library files")
      files += page.value
      guard let next = page.nextLink, !(page.value.isEmpty && page.skipped.isEmpty) else {
        return files
      }
      call = Call(method: .GET, path: next, endpoint: .library, idempotent: true)
    }
  }

  /// Uploads a file (multipart/form-data).
  public func uploadLibraryFile(_ upload: LibraryUpload) async throws -> LibraryFile {
    try upload.validate()
    let boundary = "lr-" + UUID().uuidString
    var body = ByteBuffer()
    func field(_ name: String, _ value: String) {
      body.writeString(
        "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
    }
    body.writeString(
      "--\(boundary)\r\nContent-Disposition: form-data; name=\"File\"; filename=\"\(upload.fileName)\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\n")
    body.writeBytes(upload.content)
    body.writeString("\r\n")
    if let description = upload.description { field("Description", description) }
    if let hasParameters = upload.hasParameters { field("HasParameters", String(hasParameters)) }
    if let parameters = upload.parametersDescription { field("ParametersDescription", parameters) }
    field("OverrideIfExists", String(upload.overrideIfExists))
    body.writeString("--\(boundary)--\r\n")
    let response = try await send(
      Call(
        method: .POST, path: "/api/libraryfiles", body: body,
        contentType: "multipart/form-data; boundary=\(boundary)", endpoint: .library,
        idempotent: upload.overrideIfExists))
    return try decode(LibraryFile.self, from: response, what: "the uploaded library file")
  }

  /// Deletes a library file by name.
  public func deleteLibraryFile(_ fileName: String) async throws {
    _ = try await send(
      Call(
        method: .DELETE, path: "/api/libraryfiles/" + DefenderHTTP.pathSegment(fileName),
        endpoint: .library, idempotent: true))
  }
}
