import Foundation

/// Converts between `file://` URIs and paths.
enum DocumentURI {
  /// The absolute path of a `file://` URI, or nil for other schemes.
  static func path(of uri: String) -> String? {
    guard let url = URL(string: uri), url.isFileURL else { return nil }
    let path = url.standardizedFileURL.path
    return path.isEmpty ? nil : path
  }

  /// The `file://` URI of an absolute path.
  static func uri(ofPath path: String) -> String {
    URL(fileURLWithPath: path).absoluteString
  }
}
