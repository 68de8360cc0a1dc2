import Crypto
import Foundation
import LiveResponse

/// A file in the tenant's Live Response library.
struct LibraryEntry: Sendable {
  var fileName: String
  var content: [UInt8]
  var description: String?
  var hasParameters: Bool
  var parametersDescription: String?
  var createdBy: String
  var creationTime: Date
  var lastUpdatedTime: Date

  var sha256: String { SHA256.hash(data: content).map { String(format: "%02x", $0) }.joined() }

  var json: JSONValue {
    .object([
      ("fileName", .string(fileName)),
      ("sha256", .string(sha256)),
      ("description", description.map(JSONValue.string) ?? .null),
      ("creationTime", .string(EntityDate.format(creationTime))),
      ("lastUpdatedTime", .string(EntityDate.format(lastUpdatedTime))),
      ("createdBy", .string(createdBy)),
      ("hasParameters", .bool(hasParameters)),
      ("parametersDescription", parametersDescription.map(JSONValue.string) ?? .null),
    ])
  }

  /// Whether `name` uses only the characters the library accepts (alphanumerics, `-`, `_`, `.`)
  /// and is not made of dots alone (`.`, `..`).
  static func isValidName(_ name: String) -> Bool {
    !name.isEmpty && name.count <= 255 && !name.allSatisfy({ $0 == "." })
      && name.unicodeScalars.allSatisfy {
        ($0.isASCII && (CharacterSet.alphanumerics.contains($0))) || $0 == "-" || $0 == "_"
          || $0 == "."
      }
  }
}
