/// The version `lr --version` prints.
enum LRVersion {
  static let current = "0.1.0"
}
