import Foundation

extension ODataFilter {
  /// The values (lowercased) `property` can have in an entity this filter admits, when the filter
  /// pins it to a finite set (`id eq 'a'`, `id in ('a', 'b')`, either under `and`, both sides of
  /// an `or`); nil when any value may match. Lets a list look its entities up by key instead of
  /// filtering all of them; the filter is still applied to what the lookup finds.
  func keys(of property: String) -> Set<String>? {
    let name = property.lowercased()
    func isProperty(_ f: ODataFilter) -> Bool {
      if case .property(let p) = f { return p.lowercased() == name }
      return false
    }
    func string(_ f: ODataFilter) -> String? {
      if case .literal(.string(let s)) = f { return s.lowercased() }
      return nil
    }
    switch self {
    case .compare("eq", let a, let b):
      if isProperty(a), let s = string(b) { return [s] }
      if isProperty(b), let s = string(a) { return [s] }
      return nil
    case .in(let a, let list) where isProperty(a):
      let values = list.compactMap(string)
      return values.count == list.count ? Set(values) : nil
    case .and(let a, let b):
      switch (a.keys(of: property), b.keys(of: property)) {
      case (let x?, let y?): return x.intersection(y)
      case (let x?, nil): return x
      case (nil, let y?): return y
      case (nil, nil): return nil
      }
    case .or(let a, let b):
      guard let x = a.keys(of: property), let y = b.keys(of: property) else { return nil }
      return x.union(y)
    default:
      return nil
    }
  }

  /// The values (lowercased) that one of `properties` has in every entity this filter admits,
  /// when the filter pins them to a finite set (`computerDnsName eq 'a' or id eq 'b'`, as `lr`
  /// looks names up); nil when any value may match. A lookup by these keys finds a superset of
  /// what the filter admits.
  func keys(ofAny properties: [String]) -> Set<String>? {
    switch self {
    case .and(let a, let b):
      switch (a.keys(ofAny: properties), b.keys(ofAny: properties)) {
      case (let x?, let y?): return x.count <= y.count ? x : y
      case (let x?, nil): return x
      case (nil, let y?): return y
      case (nil, nil): return nil
      }
    case .or(let a, let b):
      guard let x = a.keys(ofAny: properties), let y = b.keys(ofAny: properties) else {
        return nil
      }
      return x.union(y)
    default:
      return properties.lazy.compactMap { self.keys(of: $0) }.first
    }
  }
}
