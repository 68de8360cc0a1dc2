import Foundation

/// A minimal `multipart/form-data` parser for library uploads.
struct MultipartForm {
  /// One form part.
  struct Part {
    var name: String
    var fileName: String?
    var body: [UInt8]
  }

  var parts: [Part]

  /// The part named `name` (case-insensitive).
  func part(_ name: String) -> Part? {
    parts.first { $0.name.lowercased() == name.lowercased() }
  }

  /// The text of the part named `name`.
  func text(_ name: String) -> String? {
    part(name).map { String(decoding: $0.body, as: UTF8.self) }
  }

  /// Parses `body` given the request's `Content-Type`; nil when it is not multipart form data.
  init?(contentType: String, body: [UInt8]) {
    guard contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
    var boundary: String?
    for param in contentType.split(separator: ";").dropFirst() {
      let kv = param.split(separator: "=", maxSplits: 1)
      if kv.count == 2, kv[0].trimmingCharacters(in: .whitespaces).lowercased() == "boundary" {
        boundary = kv[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(
          in: CharacterSet(charactersIn: "\""))
      }
    }
    guard let boundary, !boundary.isEmpty else { return nil }
    let delimiter = Array("--\(boundary)".utf8)
    var positions: [Int] = []
    var i = 0
    while let found = Self.find(delimiter, in: body, from: i) {
      positions.append(found)
      i = found + delimiter.count
    }
    guard positions.count >= 2 else { return nil }
    var parts: [Part] = []
    for (start, end) in zip(positions, positions.dropFirst()) {
      var s = start + delimiter.count
      if s + 1 < body.count, body[s] == 13, body[s + 1] == 10 {
        s += 2
      } else if s < body.count, body[s] == 10 {
        s += 1
      }
      var e = end
      if e >= 2, body[e - 2] == 13, body[e - 1] == 10 {
        e -= 2
      } else if e >= 1, body[e - 1] == 10 {
        e -= 1
      }
      guard s <= e else { continue }
      let section = Array(body[s..<e])
      let separator: [UInt8] = [13, 10, 13, 10]
      let headerEnd: Int
      let bodyStart: Int
      if let h = Self.find(separator, in: section, from: 0) {
        headerEnd = h
        bodyStart = h + 4
      } else if let h = Self.find([10, 10], in: section, from: 0) {
        headerEnd = h
        bodyStart = h + 2
      } else {
        continue
      }
      let headers = String(decoding: section[..<headerEnd], as: UTF8.self)
      var name: String?
      var fileName: String?
      for line in headers.split(whereSeparator: { $0 == "\r\n" || $0 == "\n" || $0 == "\r" }) {
        guard line.lowercased().hasPrefix("content-disposition") else { continue }
        for (key, value) in Self.parameters(String(line)) {
          if key == "name" { name = value }
          if key == "filename" { fileName = value }
        }
      }
      guard let name else { continue }
      parts.append(Part(name: name, fileName: fileName, body: Array(section[bodyStart...])))
    }
    self.parts = parts
  }

  /// The `key=value` parameters of a header line, honouring quoted values.
  static func parameters(_ line: String) -> [(String, String)] {
    var result: [(String, String)] = []
    var chars = Array(line)
    guard let firstSemicolon = chars.firstIndex(of: ";") else { return [] }
    chars = Array(chars[(firstSemicolon + 1)...])
    var i = 0
    while i < chars.count {
      while i < chars.count, chars[i] == " " || chars[i] == ";" { i += 1 }
      var key = ""
      while i < chars.count, chars[i] != "=", chars[i] != ";" {
        key.append(chars[i])
        i += 1
      }
      var value = ""
      if i < chars.count, chars[i] == "=" {
        i += 1
        if i < chars.count, chars[i] == "\"" {
          i += 1
          while i < chars.count, chars[i] != "\"" {
            // `\"` and `\\` are quoted pairs (curl writes them); any other backslash is part of
            // the value (browsers send Windows paths raw), so it is never silently dropped.
            if chars[i] == "\\", i + 1 < chars.count, chars[i + 1] == "\"" || chars[i + 1] == "\\" {
              i += 1
            }
            value.append(chars[i])
            i += 1
          }
          i += 1
        } else {
          while i < chars.count, chars[i] != ";" {
            value.append(chars[i])
            i += 1
          }
        }
      }
      let k = key.trimmingCharacters(in: .whitespaces).lowercased()
      if !k.isEmpty { result.append((k, value.trimmingCharacters(in: .whitespaces))) }
    }
    return result
  }

  private static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
    guard !needle.isEmpty, haystack.count >= needle.count, from <= haystack.count - needle.count
    else { return nil }
    let first = needle[0]
    var i = from
    let last = haystack.count - needle.count
    while i <= last {
      if haystack[i] == first {
        var match = true
        for j in 1..<needle.count where haystack[i + j] != needle[j] {
          match = false
          break
        }
        if match { return i }
      }
      i += 1
    }
    return nil
  }
}
