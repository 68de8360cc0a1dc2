/// A usage problem reported as `lr: message` with exit status 2.
public struct UsageError: Error, CustomStringConvertible {
  public var description: String
  public init(_ description: String) { self.description = description }
}
