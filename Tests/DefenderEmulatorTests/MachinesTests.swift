import DefenderEmulator
import Foundation
import LRTestSupport
import NIOHTTP1
import Testing

@Suite struct MachinesTests {
  @Test func listAndGet() async throws {
    try await withLab { lab in
      let token = try await lab.token()
      let list = try await lab.get("/api/machines", token: token)
      #expect(list.status == 200)
      #expect(list.object["@odata.context"] as? String == lab.base + "/api/$metadata#Machines")
      #expect(list.value.count >= 12)
      let byId = try await lab.get("/api/machines/\(exampleMachine)", token: token)
      #expect(byId.status == 200)
      #expect(byId.object["computerDnsName"] as? String == "mymachine1.contoso.com")
      #expect(byId.object["osPlatform"] as? String == "Windows10")
      #expect(
        byId.object["@odata.context"] as? String == lab.base + "/api/$metadata#Machines/$entity")
      #expect(byId.object["machineTags"] as? [String] == ["test tag 1", "test tag 2"])
      let byName = try await lab.get("/api/machines/mymachine1.contoso.com", token: token)
      #expect(byName.object["id"] as? String == exampleMachine)
      let byShortName = try await lab.get("/api/machines/WS-0142", token: token)
      #expect(byShortName.object["computerDnsName"] as? String == "ws-0142.contoso.com")
      let missing = try await lab.get("/api/machines/nope", token: token)
      #expect(missing.status == 404)
      #expect(missing.errorCode == "ResourceNotFound")
      let target = (missing.object["error"] as? [String: Any])?["target"] as? String
      #expect(UUID(uuidString: target ?? "") != nil)
    }
  }

  @Test(arguments: ["/api/machines", "/API/Machines", "/api/v1.0/machines", "/Api/V1.0/MACHINES"])
  func pathsAreCaseInsensitive(path: String) async throws {
    try await withLab { lab in
      let token = try await lab.token()
      #expect(try await lab.get(path, token: token).status == 200)
    }
  }

  static let filters: [(String, @Sendable ([String: Any]) -> Bool)] = [
    ("riskScore eq 'High'", { $0["riskScore"] as? String == "High" }),
    ("healthStatus ne 'Active'", { $0["healthStatus"] as? String != "Active" }),
    (
      "startswith(computerDnsName,'ws-')",
      { ($0["computerDnsName"] as? String)?.hasPrefix("ws-") == true }
    ),
    (
      "endswith(computerDnsName,'contoso.com') and osPlatform eq 'Linux'",
      { $0["osPlatform"] as? String == "Linux" }
    ),
    (
      "contains(osPlatform,'Server')", { ($0["osPlatform"] as? String)?.contains("Server") == true }
    ),
    (
      "machineTags/any(t: t eq 'Critical')",
      { ($0["machineTags"] as? [String])?.contains("Critical") == true }
    ),
    (
      "osPlatform in ('Linux','macOS')",
      { ["Linux", "macOS"].contains($0["osPlatform"] as? String ?? "") }
    ),
    (
      "not (osPlatform eq 'Windows10') and rbacGroupId ge 30",
      { $0["osPlatform"] as? String != "Windows10" && ($0["rbacGroupId"] as? Int ?? 0) >= 30 }
    ),
    (
      "rbacGroupId le 20", { ($0["rbacGroupId"] as? Int ?? 0) <= 20 }
    ),
    (
      "osBuild le 19045 and osBuild gt 0",
      { ($0["osBuild"] as? Int ?? 0) <= 19045 && ($0["osBuild"] as? Int ?? 0) > 0 }
    ),
    (
      "rbacGroupId lt 20 or riskScore eq 'Medium'",
      { ($0["rbacGroupId"] as? Int ?? 0) < 20 || $0["riskScore"] as? String == "Medium" }
    ),
    ("lastSeen gt 2018-08-01Z", { _ in true }),
    (
      "contains(machineTags,'Crit')",
      { ($0["machineTags"] as? [String])?.contains("Critical") == true }
    ),
    (
      "onboardingStatus eq 'Onboarded' and healthStatus eq 'Active'",
      { $0["healthStatus"] as? String == "Active" }
    ),
    // What lr's target resolution and pre-flight send (DefenderClient.MachineFilter): names by
    // FQDN, short name or id, computer names, ids, a prefix.
    (
      "computerDnsName eq 'ws-0142.contoso.com' or computerDnsName eq 'srv-dc01' or "
        + "startswith(computerDnsName,'srv-dc01.') or computerDnsName eq '\(Scenario.exampleMachineId)' "
        + "or id eq '\(Scenario.exampleMachineId)'",
      {
        ["ws-0142.contoso.com", "srv-dc01.contoso.com"].contains($0["computerDnsName"] as? String)
          || $0["id"] as? String == Scenario.exampleMachineId
      }
    ),
    (
      "computerDnsName eq 'ws-0143.contoso.com' or computerDnsName eq 'web-01.contoso.com'",
      { ["ws-0143.contoso.com", "web-01.contoso.com"].contains($0["computerDnsName"] as? String) }
    ),
    (
      "id eq '\(Scenario.exampleMachineId.uppercased())'",
      { $0["id"] as? String == Scenario.exampleMachineId }
    ),
    (
      "startswith(computerDnsName,'srv-')",
      { ($0["computerDnsName"] as? String)?.hasPrefix("srv-") == true }
    ),
  ]

  @Test(arguments: 0..<filters.count)
  func odataFilters(index: Int) async throws {
    let (filter, predicate) = Self.filters[index]
    try await withLab { lab in
      let token = try await lab.token()
      let all = try await lab.get("/api/machines", token: token).value
      let encoded = filter.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? filter
      let reply = try await lab.get("/api/machines?$filter=\(encoded)", token: token)
      #expect(reply.status == 200, "\(filter): \(reply.text)")
      let expected = all.filter(predicate).compactMap { $0["id"] as? String }
      #expect(reply.value.compactMap { $0["id"] as? String } == expected, "\(filter)")
      #expect(!expected.isEmpty, "\(filter) should match something in the demo fleet")
    }
  }

  @Test func plusEncodedFilterAsDocumented() async throws {
    try await withLab { lab in
      let token = try await lab.token()
      let reply = try await lab.get("/api/machines?$filter=riskScore+eq+'High'", token: token)
      #expect(reply.status == 200)
      #expect(!reply.value.isEmpty)
      #expect(reply.value.allSatisfy { $0["riskScore"] as? String == "High" })
    }
  }

  @Test func topSkipOrderCount() async throws {
    try await withLab { lab in
      let token = try await lab.token()
      let all = try await lab.get("/api/machines?$orderby=computerDnsName%20desc", token: token)
        .value
      let names = all.compactMap { $0["computerDnsName"] as? String }
      #expect(names == names.sorted(by: >))
      let page = try await lab.get(
        "/api/machines?$orderby=computerDnsName&$top=3&$skip=2&$count=true", token: token)
      #expect(page.object["@odata.count"] as? Int == all.count)
      #expect(
        page.value.compactMap { $0["computerDnsName"] as? String }
          == Array(names.sorted().dropFirst(2).prefix(3)))
      #expect(page.object["@odata.nextLink"] == nil)
    }
  }

  @Test(arguments: [
    "$top=10001", "$top=-1", "$skip=x", "$filter=nosuch eq 1", "$filter=riskScore eq",
    "$orderby=nosuch", "$filter=riskScore eq 'High",
  ])
  func invalidODataIs400(query: String) async throws {
    try await withLab { lab in
      let token = try await lab.token()
      let encoded = query.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? query
      let reply = try await lab.get("/api/machines?\(encoded)", token: token)
      #expect(reply.status == 400)
      #expect(reply.errorCode == "ODataError")
    }
  }

  @Test func hostileFiltersAreRejectedNotFatal() async throws {
    try await withLab { lab in
      let token = try await lab.token()
      for filter in [
        String(repeating: "(", count: 5000) + "id eq 'x'" + String(repeating: ")", count: 5000),
        String(repeating: "not ", count: 5000) + "true",
        "contains(", "machineTags/any(t:", "id eq 1e999999", "'", "id in (",
      ] {
        let encoded = filter.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? filter
        let reply = try await lab.get("/api/machines?$filter=\(encoded)", token: token)
        #expect(reply.status == 400 || reply.status == 200, "\(filter.prefix(40))")
      }
    }
  }

  @Test func nextLinkPaging() async throws {
    var scenario = try #require(Scenario.builtIn("demo"))
    scenario.limits.maxPageSize = 5
    try await withLab(scenario) { lab in
      let token = try await lab.token()
      var url: String? = lab.base + "/api/machines"
      var seen: [String] = []
      var pages = 0
      while let next = url {
        let reply = try await lab.get(next, token: token)
        #expect(reply.status == 200)
        #expect(reply.value.count <= 5)
        seen += reply.value.compactMap { $0["id"] as? String }
        url = reply.object["@odata.nextLink"] as? String
        pages += 1
      }
      #expect(seen.count == scenario.machines.count)
      #expect(Set(seen).count == seen.count)
      #expect(pages == (scenario.machines.count + 4) / 5)
    }
  }

  @Test func largeScenarioPagesAtTenThousand() async throws {
    let large = try #require(Scenario.builtIn("large"))
    #expect(large.machines.count == 10_000)
    try await withLab(large) { lab in
      let token = try await lab.token()
      let reply = try await lab.get(
        "/api/machines?$filter=osPlatform%20eq%20'Linux'&$top=50", token: token)
      #expect(reply.value.count == 50)
    }
  }

  @Test func unauthorizedAndForbidden() async throws {
    try await withLab { lab in
      let none = try await lab.get("/api/machines", token: nil)
      #expect(none.status == 401)
      #expect(none.errorCode == "Unauthorized")
      let garbage = try await lab.get("/api/machines", token: "not.a.token")
      #expect(garbage.status == 401)
      let token = try await lab.token()
      var parts = token.split(separator: ".").map(String.init)
      parts[2] = String(parts[2].reversed())
      #expect(try await lab.get("/api/machines", token: parts.joined(separator: ".")).status == 401)
      // Expiry runs on the virtual clock.
      lab.advance(3600)
      let expired = try await lab.get("/api/machines", token: token)
      #expect(expired.status == 401)
      #expect(expired.errorCode == "Unauthorized")
      // Read-only app: machines yes, live response / library no (403 naming the role).
      let readonly = try await lab.token(
        client: "lr-lab-readonly", secret: "lr-lab-readonly-secret")
      #expect(try await lab.get("/api/machines", token: readonly).status == 200)
      let run = try await lab.run(
        exampleMachine, [("RunScript", [("ScriptName", "Get-Processes.ps1")])], token: readonly)
      #expect(run.status == 403)
      #expect(run.errorCode == "Forbidden")
      #expect(
        ((run.object["error"] as? [String: Any])?["message"] as? String)?.contains(
          "Machine.LiveResponse") == true)
      let library = try await lab.get("/api/libraryfiles", token: readonly)
      #expect(library.status == 403)
    }
  }

  @Test func unknownRoutes() async throws {
    try await withLab { lab in
      let token = try await lab.token()
      #expect(try await lab.get("/api/nothing", token: token).status == 404)
      #expect(try await lab.send(.DELETE, "/api/machines", token: token).status == 405)
    }
  }
}
