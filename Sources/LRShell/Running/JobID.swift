/// The session's number for one submitted input; shown as `[3]` and used by `.cancel 3`.
public struct JobID: Sendable, Hashable, Comparable, CustomStringConvertible {
  public var value: Int
  public init(_ value: Int) { self.value = value }
  public var description: String { String(value) }
  public static func < (a: JobID, b: JobID) -> Bool { a.value < b.value }
}
