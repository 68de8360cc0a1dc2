import NIOHTTP1

/// The machines of `GET /api/machines` read page by page: `$top`/`$skip` windows of ``pageSize``
/// machines (any `@odata.nextLink` the service sends inside a window followed), each page decoded
/// and handed over on its own, so a reader holds one page at a time however large the fleet.
/// (`$top` alone stops at the service's 10,000: a larger fleet needs `$skip`.)
public struct MachinePages: Sendable {
  /// How many machines a window asks for when the caller names no size.
  public static let defaultPageSize = 1_000

  let api: DefenderAPI
  let filter: String?
  /// How many machines each `$top`/`$skip` window asks for.
  public let pageSize: Int
  private var skip = 0
  private var readInWindow = 0
  private var nextLink: String?
  private var done = false

  init(api: DefenderAPI, filter: String?, pageSize: Int) {
    self.api = api
    self.filter = filter
    self.pageSize = max(1, pageSize)
  }

  /// The next page's machines (entries that cannot be read are skipped and logged); nil once
  /// every page is read.
  public mutating func next() async throws -> [Machine]? {
    guard !done else { return nil }
    guard let page = try await api.machinePage(call()) else {
      done = true
      return nil
    }
    let count = page.value.count + page.skipped.count
    readInWindow += count
    if let link = page.nextLink, count > 0 {
      nextLink = link
    } else {
      nextLink = nil
      if readInWindow < pageSize { done = true }
      skip += pageSize
      readInWindow = 0
    }
    return page.value
  }

  /// The next request: the window's `@odata.nextLink`, else the next `$top`/`$skip` window.
  private func call() -> DefenderAPI.Call {
    if let nextLink {
      return DefenderAPI.Call(method: .GET, path: nextLink, endpoint: .machines, idempotent: true)
    }
    var query: [(String, String)] = []
    if let filter { query.append(("$filter", filter)) }
    query.append(("$top", String(pageSize)))
    if skip > 0 { query.append(("$skip", String(skip))) }
    return DefenderAPI.Call(
      method: .GET, path: "/api/machines", query: query, endpoint: .machines, idempotent: true)
  }
}

extension DefenderAPI {
  /// The machines (all, or those `filter` selects) page by page (``MachinePages``).
  public func machinePages(filter: String? = nil, pageSize: Int = MachinePages.defaultPageSize)
    -> MachinePages
  {
    MachinePages(api: self, filter: filter, pageSize: pageSize)
  }

  /// One page of machines; nil for the service's 404 when it has no recent machines.
  func machinePage(_ call: Call) async throws -> ODataCollection<Machine>? {
    let response: BufferedResponse
    do { response = try await send(call) } catch let error as DefenderClientError
      where error.kind == .notFound && error.serviceCode != "ResourceNotFound"
    {
      return nil
    }
    return try decodePage(Machine.self, from: response, what: "machines")
  }
}
