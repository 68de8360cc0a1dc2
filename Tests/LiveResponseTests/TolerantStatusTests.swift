import Foundation
import LiveResponse
import Testing

/// The tolerant status rule, held once by `TolerantStatus`: any case, known other spellings,
/// the service's spelling written, unknown values kept; bare strings in JSON.
@Suite struct TolerantStatusTests {
  /// A status of a test's own: it gets the whole rule by naming its spellings.
  enum Light: TolerantStatus {
    case green, amber
    case other(String)
    static let allCases: [Light] = [.green, .amber]
    static let otherSpellings: [String: Light] = ["orange": .amber]
    var rawValue: String {
      switch self {
      case .green: "Green"
      case .amber: "Amber"
      case .other(let text): text
      }
    }
  }

  @Test func anyConformingStatusReadsTolerantly() throws {
    #expect(Light("GREEN") == .green)
    #expect(Light("Orange") == .amber)
    #expect(Light("Orange").rawValue == "Amber")
    #expect(Light("Blue") == .other("Blue"))
    let light: Light = "amber"
    #expect(light.description == "Amber")
  }

  @Test func actionAndCommandStatusesAreBareStringsInJSON() throws {
    let decoded = try JSONDecoder().decode(
      [ActionStatus].self, from: Data(#"["canceled","TIMEOUT","Queued"]"#.utf8))
    #expect(decoded == [.cancelled, .timeOut, .other("Queued")])
    let encoded = try JSONEncoder().encode(decoded)
    #expect(String(decoding: encoded, as: UTF8.self) == #"["Cancelled","TimeOut","Queued"]"#)
    let commands = try JSONDecoder().decode(
      [CommandStatus].self, from: Data(#"["completed","Failed","Weird"]"#.utf8))
    #expect(commands == [.completed, .failed, .other("Weird")])
  }
}
