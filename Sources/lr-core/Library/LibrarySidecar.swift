import DefenderClient
import Foundation

/// Optional metadata next to a library file: `NAME.json` with `description`, `hasParameters`,
/// `parametersDescription` (capitalised keys, as in LiveResponseUploader, are read too).
struct LibrarySidecar: Decodable, Equatable {
  var description: String?
  var hasParameters: Bool?
  var parametersDescription: String?

  private struct Key: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ value: String) { stringValue = value }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  init(description: String? = nil, hasParameters: Bool? = nil, parametersDescription: String? = nil)
  {
    self.description = description
    self.hasParameters = hasParameters
    self.parametersDescription = parametersDescription
  }

  init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: Key.self)
    func string(_ names: String...) -> String? {
      for name in names {
        if let v = try? c.decodeIfPresent(String.self, forKey: Key(name)) { return v }
      }
      return nil
    }
    description = string("description", "Description")
    parametersDescription = string("parametersDescription", "ParametersDescription")
    hasParameters =
      (try? c.decodeIfPresent(Bool.self, forKey: Key("hasParameters")))
      ?? (try? c.decodeIfPresent(Bool.self, forKey: Key("HasParameters"))) ?? nil
  }

  /// Reads `path + ".json"` if present.
  static func load(for path: String) throws -> LibrarySidecar? {
    let sidecar = path + ".json"
    guard let data = FileManager.default.contents(atPath: sidecar) else { return nil }
    do { return try JSONDecoder().decode(LibrarySidecar.self, from: data) } catch {
      throw DefenderClientError.invalidInput("\(sidecar) is not valid sidecar JSON: \(error)")
    }
  }
}
