import Foundation
import LiveResponse

/// The OData query options a list endpoint accepts: `$filter`, `$top`, `$skip`, `$orderby`,
/// `$count`.
struct ODataQuery {
  var filter: ODataFilter?
  var top: Int?
  var skip: Int
  var orderBy: [(property: String, descending: Bool)]
  var count: Bool
  /// The raw options, to rebuild `@odata.nextLink`.
  var raw: [(String, String)]

  /// Parses options from the query string; errors become 400 `ODataError`.
  init(query: [(String, String)], allowed: [String]) throws(EmulatorError) {
    raw = query
    skip = 0
    orderBy = []
    count = false
    func value(_ name: String) -> String? {
      query.last { $0.0.lowercased() == name }?.1
    }
    if let f = value("$filter") {
      do {
        filter = try ODataFilter.parse(f, allowed: allowed)
      } catch {
        throw EmulatorError.odata(error.message)
      }
    }
    if let t = value("$top") {
      guard let n = Int(t.trimmingCharacters(in: .whitespaces)), n >= 0, n <= 10_000 else {
        throw EmulatorError.odata(
          "The limit of '10000' for Top query has been exceeded or the value '\(t)' is invalid")
      }
      top = n
    }
    if let s = value("$skip") {
      guard let n = Int(s.trimmingCharacters(in: .whitespaces)), n >= 0 else {
        throw EmulatorError.odata("invalid $skip '\(s)'")
      }
      skip = n
    }
    if let c = value("$count") {
      switch c.lowercased() {
      case "true": count = true
      case "false": count = false
      default: throw EmulatorError.odata("invalid $count '\(c)'")
      }
    }
    if let o = value("$orderby") {
      for clause in o.split(separator: ",") {
        let words = clause.split(separator: " ").map(String.init)
        guard let name = words.first,
          let canonical = allowed.first(where: { $0.lowercased() == name.lowercased() })
        else { throw EmulatorError.odata("invalid $orderby '\(o)'") }
        var descending = false
        if words.count > 1 {
          switch words[1].lowercased() {
          case "asc": descending = false
          case "desc": descending = true
          default: throw EmulatorError.odata("invalid $orderby '\(o)'")
          }
        }
        guard words.count <= 2 else { throw EmulatorError.odata("invalid $orderby '\(o)'") }
        orderBy.append((canonical, descending))
      }
    }
  }

  /// The page of `entities` these options select, with the total count and the next skip.
  func apply(_ entities: [JSONValue], maxPageSize: Int) -> (
    page: [JSONValue], total: Int, nextSkip: Int?
  ) {
    var result = entities
    if let filter { result = result.filter { filter.evaluate($0).truthy } }
    if !orderBy.isEmpty {
      result.sort { a, b in
        for (property, descending) in orderBy {
          let x = ODataValue(a.member(ignoringCase: property))
          let y = ODataValue(b.member(ignoringCase: property))
          if ODataFilter.compare("eq", x, y) { continue }
          let less = ODataFilter.compare("lt", x, y)
          return descending ? !less : less
        }
        return false
      }
    }
    let total = result.count
    let requested = top.map { min($0, max(0, total - skip)) } ?? max(0, total - skip)
    let pageSize = min(requested, maxPageSize)
    let start = min(skip, total)
    let page = Array(result[start..<min(total, start + pageSize)])
    let nextSkip = pageSize < requested ? start + pageSize : nil
    return (page, total, nextSkip)
  }

  /// The next-page URL for `path` on `base`.
  func nextLink(base: String, path: String, nextSkip: Int) -> String {
    var items = raw.filter { !["$skip", "$top"].contains($0.0.lowercased()) }
    if let top { items.append(("$top", String(top - (nextSkip - skip)))) }
    items.append(("$skip", String(nextSkip)))
    let query = items.map { QueryString.encode($0.0) + "=" + QueryString.encode($0.1) }
      .joined(separator: "&")
    return base + path + "?" + query
  }
}

/// Query-string parsing and encoding (`+` is a space, as in the documented OData examples).
enum QueryString {
  static func parse(_ query: String?) -> [(String, String)] {
    guard let query, !query.isEmpty else { return [] }
    return query.split(separator: "&").map { pair in
      let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      let key = decode(String(parts[0]))
      let value = parts.count > 1 ? decode(String(parts[1])) : ""
      return (key, value)
    }
  }

  static func decode(_ s: String) -> String {
    let spaced = s.replacingOccurrences(of: "+", with: " ")
    return spaced.removingPercentEncoding ?? spaced
  }

  static func encode(_ s: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~$'(),:")
    return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
  }
}
