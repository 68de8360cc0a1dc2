import Foundation

extension Scenario {
  /// The built-in `large` scenario: 10,000 machines across platforms (for paging and batches).
  public static var large: Scenario {
    let platforms: [(String, String, Int)] = [
      ("Windows10", "22H2", 19045), ("Windows11", "23H2", 22631),
      ("WindowsServer2022", "21H2", 20348), ("WindowsServer2019", "1809", 17763),
      ("Linux", "Ubuntu 22.04", 0), ("macOS", "14.5", 0),
    ]
    let risks = ["None", "Informational", "Low", "Medium", "High"]
    var machines: [ScenarioMachine] = []
    machines.reserveCapacity(10_000)
    for i in 1...10_000 {
      let (os, version, build) = platforms[i % platforms.count]
      let name = String(format: "host-%05d.large.contoso.com", i)
      let isWindows = os.hasPrefix("Windows")
      let online: OnlineSchedule =
        i % 97 == 0 ? .offline : (i % 89 == 0 ? OnlineSchedule(after: 600) : .always)
      let machine = ScenarioMachine(
        id: machineId(name), computerDnsName: name, osPlatform: os, version: version,
        osBuild: build, healthStatus: online.never ? "Inactive" : "Active",
        riskScore: risks[i % risks.count], rbacGroupId: 200 + i % 8,
        rbacGroupName: "Group-\(i % 8)", machineTags: i % 10 == 0 ? ["Critical"] : [],
        lastIpAddress: "10.\(i / 65_536 % 256).\(i / 256 % 256).\(i % 256)", online: online,
        checkInLatencySeconds: Double(3 + i % 7),
        files: [
          isWindows
            ? FileSpec(
              path: "C:\\Windows\\System32\\drivers\\etc\\hosts", text: "127.0.0.1 localhost\n")
            : FileSpec(path: "/etc/hostname", text: name + "\n")
        ])
      machines.append(machine)
    }
    return Scenario(
      name: "large", tenant: "lab", apps: labApps, users: labUsers, machines: machines,
      library: stdlibLibrary,
      scripts: demoScripts.filter { $0.machines == nil })
  }
}
