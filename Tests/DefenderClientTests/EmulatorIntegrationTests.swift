import DefenderEmulator
import Foundation
import LRTestSupport
import LiveResponse
import Testing

@testable import DefenderClient

/// The client against the real emulator over loopback HTTP: no mocked transport.
@Suite(.timeLimit(.minutes(2)))
struct EmulatorIntegrationTests {
  @Test func listsTheDemoFleetAndFindsMachinesByIdAndName() async throws {
    try await LabFixture.with { lab in
      let machines = try await lab.api.machines()
      #expect(machines.contains { $0.id == LabFixture.exampleMachine })
      #expect(machines.count >= 10)
      let byID = try await lab.api.machine(LabFixture.exampleMachine)
      #expect(byID.computerDnsName == "mymachine1.contoso.com")
      let byName = try await lab.api.machine("mymachine1.contoso.com")
      #expect(byName.id == LabFixture.exampleMachine)
      let filtered = try await lab.api.machines(filter: "startswith(computerDnsName,'ws-014')")
      #expect(
        Set(filtered.compactMap(\.computerDnsName)) == [
          "ws-0142.contoso.com", "ws-0143.contoso.com",
        ])
      let top = try await lab.api.machines(top: 3)
      #expect(top.count == 3)
      // Small server pages: the client follows @odata.nextLink to the end.
      try await lab.emulator.setLimit("maxPageSize", 4)
      let paged = try await lab.api.machines()
      #expect(paged.map(\.id) == machines.map(\.id))
      let limited = try await lab.api.machines(limit: 6)
      #expect(limited.count == 6)
    }
  }

  @Test func unknownMachineIsNotFound() async throws {
    try await LabFixture.with { lab in
      let error = await #expect(throws: DefenderClientError.self) {
        try await lab.api.machine("0000000000000000000000000000000000000000")
      }
      #expect(error?.kind == .notFound)
      #expect(error?.httpStatus == 404)
    }
  }

  @Test(arguments: [
    (
      "lab", "lr-lab", "wrong-secret",
      "the client secret for app lr-lab is wrong (AADSTS7000215); check AZURE_CLIENT_SECRET",
      "invalid_client"
    ),
    (
      "nosuchtenant", "lr-lab", "lr-lab-secret",
      "tenant \"nosuchtenant\" is unknown to Entra ID (AADSTS90002); check AZURE_TENANT_ID",
      "invalid_tenant"
    ),
    (
      "lab", "no-such-app", "x",
      "application no-such-app is not registered in tenant lab (AADSTS700016); check AZURE_CLIENT_ID",
      "unauthorized_client"
    ),
  ])
  func signInErrorsAreExplained(
    tenant: String, client: String, secret: String, expected: String, code: String
  ) async throws {
    try await LabFixture.with(client: client, secret: secret, tenant: tenant) { lab in
      let error = await #expect(throws: DefenderClientError.self) { try await lab.api.machines() }
      #expect(error?.kind == .signIn)
      #expect(error?.message == expected)
      #expect(error?.serviceCode == code)
      #expect(error?.message.contains(secret) == false)
      // Nothing reached the API without a token.
      #expect(lab.emulator.requests.api.isEmpty)
    }
  }

  @Test func v1TokenEndpointWorks() async throws {
    try await LabFixture.with(tokenEndpoint: .v1) { lab in
      let machines = try await lab.api.machines()
      #expect(!machines.isEmpty)
    }
  }

  @Test func forbiddenSaysWhichPermissionIsMissing() async throws {
    try await LabFixture.with(client: "lr-lab-readonly", secret: "lr-lab-readonly-secret") { lab in
      let machines = try await lab.api.machines()
      #expect(!machines.isEmpty)
      let submit = await #expect(throws: DefenderClientError.self) {
        try await lab.api.runLiveResponse(
          machineID: LabFixture.exampleMachine, commands: [.runScript("Get-Processes.ps1")],
          comment: "test")
      }
      #expect(submit?.kind == .permissionDenied)
      #expect(submit?.message.contains("Machine.LiveResponse") == true)
      let library = await #expect(throws: DefenderClientError.self) {
        try await lab.api.libraryFiles()
      }
      #expect(library?.message.contains("Library.Manage") == true)
    }
  }

  @Test func retryAfterIsHonouredInsteadOfFailing() async throws {
    try await LabFixture.with { lab in
      let events = await lab.api.governor.events()
      try await lab.emulator.admin("faults", #"{"forced429Rate": 0.5, "seed": 3}"#)
      for _ in 0..<6 { _ = try await lab.api.machine(LabFixture.exampleMachine) }
      try await lab.emulator.admin("faults", #"{}"#)
      var throttled = 0
      for await event in events {
        if case .throttled(_, let wait) = event {
          throttled += 1
          #expect(wait == .seconds(1))
        }
        if throttled > 0 { break }
      }
      #expect(throttled > 0)
      // Every 429 (Retry-After: 1, real seconds) was followed by a full second of silence.
      let log = lab.emulator.requests.api
      let refusals = log.indices.filter { log[$0].status == 429 && $0 + 1 < log.count }
      #expect(!refusals.isEmpty)
      for index in refusals {
        let gap = log[index + 1].time - log[index].time
        #expect(gap >= .milliseconds(950), "next call \(gap) after a 429")
      }
      #expect(log.filter { $0.status == 200 }.count == 6)
    }
  }

  @Test func timedOutIdempotentCallsAreRetried() async throws {
    var retry = LabFixture.fastRetry
    retry.requestTimeout = .milliseconds(400)
    try await LabFixture.with(retry: retry) { lab in
      _ = try await lab.api.machines()  // signed in; the sign-in is not slowed down
      let events = await lab.api.governor.events()
      try await lab.emulator.admin("faults", #"{"addedLatencyMilliseconds": 1500}"#)
      // Once the first attempt has timed out, the service becomes fast again.
      let healer = Task {
        for await event in events {
          if case .retrying(_, _, _, let cause) = event {
            try await lab.emulator.admin("faults", #"{}"#)
            return cause
          }
        }
        return ""
      }
      let machine = try await lab.api.machine(LabFixture.exampleMachine)
      #expect(machine.id == LabFixture.exampleMachine)
      #expect(try await healer.value.hasPrefix("cannot reach 127.0.0.1:"))
      // The timed-out request reached the service too (the emulator logs it when it answers).
      try await Task.sleep(for: .milliseconds(1600))
      let gets = lab.emulator.requests.matching("GET") {
        $0 == "/api/machines/" + LabFixture.exampleMachine
      }
      #expect(gets.count >= 2)
    }
  }

  @Test func serverErrorsAndResetsAreRetriedForIdempotentCalls() async throws {
    try await LabFixture.with { lab in
      try await lab.emulator.admin(
        "faults", #"{"serverErrorRate": 0.3, "connectionResetRate": 0.3, "seed": 7}"#)
      for _ in 0..<8 {
        let machine = try await lab.api.machine(LabFixture.exampleMachine)
        #expect(machine.id == LabFixture.exampleMachine)
      }
    }
  }

  @Test func persistentServerErrorsSurfaceAsServiceUnavailable() async throws {
    try await LabFixture.with { lab in
      try await lab.emulator.admin("faults", #"{"serverErrorRate": 1}"#)
      let error = await #expect(throws: DefenderClientError.self) { try await lab.api.machines() }
      #expect(error?.kind == .serviceUnavailable)
    }
  }

  @Test func runScriptAndGetFileEndToEnd() async throws {
    try await LabFixture.with { lab in
      let submission = try await lab.api.runLiveResponse(
        machineID: LabFixture.exampleMachine,
        commands: [
          .runScript("Get-Processes.ps1"),
          .getFile(#"C:\Windows\System32\drivers\etc\hosts"#),
        ], comment: "integration")
      #expect(SubmissionToken.find(in: submission.action.requestorComment) == submission.token)
      let poller = ActionPoller(api: lab.api)
      await poller.track(submission)
      try await poller.run()
      let action = try await lab.api.machineAction(submission.action.id)
      #expect(action.status == .succeeded)
      #expect(await lab.api.governor.runningSessions == 0)
      let transcript = try await lab.api.scriptTranscript(actionID: action.id, index: 0)
      #expect(transcript.exitCode == 0)
      #expect(!transcript.scriptOutput.isEmpty)
      let root = FileManager.default.temporaryDirectory.appendingPathComponent("lr-res-\(UUID())")
        .path
      defer { try? FileManager.default.removeItem(atPath: root) }
      let file = try await lab.api.saveFileResult(
        actionID: action.id, index: 1, remotePath: #"C:\Windows\System32\drivers\etc\hosts"#,
        machine: "mymachine1.contoso.com", run: "run1", root: root)
      #expect(
        file.path == root + "/run1/mymachine1.contoso.com/C/Windows/System32/drivers/etc/hosts")
      #expect(
        try String(contentsOfFile: file.path, encoding: .utf8)
          == "127.0.0.1 localhost\n::1 localhost\n")
      #expect(file.wasCompressed)
    }
  }

  @Test func hostileRemotePathsAreSavedInsideTheResultsFolder() async throws {
    try await LabFixture.with { lab in
      let submission = try await lab.api.runLiveResponse(
        machineID: LabFixture.exampleMachine,
        commands: [.getFile(#"C:\Windows\System32\drivers\etc\hosts"#)], comment: "hostile")
      let done = try await lab.api.waitUntilFinished(actionID: submission.action.id)
      await lab.api.governor.releaseSession(machineID: LabFixture.exampleMachine)
      #expect(done.status == .succeeded)
      let root = FileManager.default.temporaryDirectory.appendingPathComponent("lr-host-\(UUID())")
        .path
      defer { try? FileManager.default.removeItem(atPath: root) }
      for hostile in [
        #"..\..\..\..\etc\passwd"#, "/etc/../../x", "C:\\a\u{1B}]0;pwned\u{7}\\CON",
        #"\\?\UNC\evil\share\..\x"#,
      ] {
        let file = try await lab.api.saveFileResult(
          actionID: done.id, index: 0, remotePath: hostile, machine: "../../m", run: "..",
          root: root)
        #expect(file.path.hasPrefix(root + "/"))
        #expect(!file.path.contains("/../"))
      }
    }
  }

  @Test func expiredLinkIsReRequestedNotTheAction() async throws {
    try await LabFixture.with { lab in
      let submission = try await lab.api.runLiveResponse(
        machineID: LabFixture.exampleMachine,
        commands: [.getFile(#"C:\Windows\System32\drivers\etc\hosts"#)], comment: "expiry")
      let done = try await lab.api.waitUntilFinished(actionID: submission.action.id)
      let link = try await lab.api.resultLink(actionID: done.id, index: 0)
      try await lab.emulator.admin("clock", #"{"advanceSeconds": 1900}"#)
      let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lr-exp-\(UUID())")
      try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
      defer { try? FileManager.default.removeItem(at: dir) }
      await #expect(throws: DefenderAPI.LinkRefused.self) {
        _ = try await lab.api.streamLink(link, to: dir.appendingPathComponent("a").path)
      }
      let file = try await lab.api.downloadResult(
        actionID: done.id, index: 0, to: dir.appendingPathComponent("b").path, initialLink: link)
      #expect(file.size > 0)
      let actions = try await lab.api.machineActions(
        filter: "machineId eq '\(LabFixture.exampleMachine)'")
      #expect(actions.count == 1)
    }
  }

  @Test func activeRequestReportsTheRunningActionAndCanWait() async throws {
    try await LabFixture.with { lab in
      let first = try await lab.api.runLiveResponse(
        machineID: LabFixture.exampleMachine, commands: [.runScript("sleep.ps1", args: "400")],
        comment: "first", holdSession: false)
      let error = await #expect(throws: DefenderClientError.self) {
        try await lab.api.runLiveResponse(
          machineID: LabFixture.exampleMachine, commands: [.runScript("Get-Services.ps1")],
          comment: "second", holdSession: false)
      }
      #expect(error?.kind == .activeRequestAlreadyExists)
      #expect(error?.runningActionID == first.action.id)
      let second = try await lab.api.runLiveResponse(
        machineID: LabFixture.exampleMachine, commands: [.runScript("Get-Services.ps1")],
        comment: "second", waitIfBusy: true, holdSession: false)
      #expect(second.action.id != first.action.id)
      #expect(try await lab.api.machineAction(first.action.id).status.isTerminal)
    }
  }

  @Test func cancelStopsAPendingAction() async throws {
    try await LabFixture.with { lab in
      let submission = try await lab.api.runLiveResponse(
        machineID: LabFixture.exampleMachine, commands: [.runScript("sleep.ps1", args: "600")],
        comment: "cancel me", holdSession: false)
      let cancelled = try await lab.api.cancelMachineAction(submission.action.id, comment: "test")
      let after = try await lab.api.machineAction(cancelled.id)
      #expect(after.status == .cancelled || cancelled.status == .cancelled)
    }
  }

  @Test func libraryUploadListDelete() async throws {
    try await LabFixture.with { lab in
      let upload = LibraryUpload(
        fileName: "lr-test-\(UInt32.random(in: 0...UInt32.max)).ps1",
        content: Data("Write-Output 1".utf8),
        description: "test", hasParameters: false, overrideIfExists: true)
      let saved = try await lab.api.uploadLibraryFile(upload)
      #expect(saved.fileName == upload.fileName)
      let listed = try await lab.api.libraryFiles()
      #expect(
        listed.first { $0.fileName == upload.fileName }?.sha256?.lowercased() == upload.sha256)
      try await lab.api.deleteLibraryFile(upload.fileName)
      let after = try await lab.api.libraryFiles()
      #expect(!after.contains { $0.fileName == upload.fileName })
      let missing = await #expect(throws: DefenderClientError.self) {
        try await lab.api.deleteLibraryFile(upload.fileName)
      }
      #expect(missing?.kind == .notFound)
      #expect(throws: DefenderClientError.self) {
        try LibraryUpload(fileName: "bad name;.ps1", content: Data()).validate()
      }
    }
  }

  @Test func lostAnswerIsRecoveredNotResubmitted() async throws {
    let lab = try await LabFixture.start()
    let proxy = try KillSwitchProxy(upstreamPort: lab.emulator.server.baseURL.port ?? 0)
    let settings = ConnectionSettings(
      tenantID: "lab", clientID: "lr-lab", credential: .secret(Secret("lr-lab-secret")),
      cloud: try Cloud.custom(
        apiBaseURL: "http://127.0.0.1:\(proxy.port)",
        authorityBaseURL: lab.emulator.server.baseURL.absoluteString.trimmingCharacters(
          in: CharacterSet(charactersIn: "/"))))
    let api = DefenderAPI(
      settings: settings, clock: SystemRateClock(scale: 60), retry: LabFixture.fastRetry)
    defer { proxy.stop() }
    do {
      proxy.killNextLiveResponses(1)
      let submission = try await api.runLiveResponse(
        machineID: LabFixture.exampleMachine, commands: [.runScript("Get-Processes.ps1")],
        comment: "no duplicates")
      #expect(proxy.killedCount == 1)
      #expect(submission.recovered)
      let actions = try await api.machineActions(
        filter: "machineId eq '\(LabFixture.exampleMachine)'")
      #expect(
        actions.filter { SubmissionToken.find(in: $0.requestorComment) == submission.token }.count
          == 1)
      #expect(actions.count == 1)
    } catch {
      await api.shutdown()
      await lab.stop()
      throw error
    }
    await api.shutdown()
    await lab.stop()
  }

  @Test func pollingManyActionsUsesOneListCallPerRound() async throws {
    try await LabFixture.with { lab in
      let targets = try await lab.api.machines()
        .filter { $0.osPlatform?.hasPrefix("Windows") == true && $0.healthStatus == "Active" }
        .prefix(6)
      let poller = ActionPoller(api: lab.api)
      var submissions: [Submission] = []
      for machine in targets {
        let submission = try await lab.api.runLiveResponse(
          machineID: machine.id, commands: [.runScript("Get-Processes.ps1")], comment: "fan-out")
        submissions.append(submission)
        await poller.track(submission)
      }
      let before = lab.emulator.requests.api.count
      try await poller.run()
      let polling = Array(lab.emulator.requests.api.dropFirst(before))
      let rounds = await poller.rounds
      #expect(rounds > 0)
      // One `id in (…)` list call per round for all six actions, never a GET per action.
      let lists = polling.filter {
        $0.method == "GET" && $0.target.hasPrefix("/api/machineactions?")
      }
      #expect(lists.count == rounds)
      #expect(await poller.calls == rounds)
      let ids = submissions.map { "'\($0.action.id)'" }
      for list in lists { #expect(list.target.contains("$filter=id in (")) }
      let firstList = try #require(lists.first)
      #expect(ids.allSatisfy { firstList.target.contains($0) })
      #expect(!polling.contains { $0.target.hasPrefix("/api/machineactions/") })
      #expect(polling.allSatisfy { $0.target.hasPrefix("/api/machineactions?") })
      for submission in submissions {
        #expect(try await lab.api.machineAction(submission.action.id).status.isTerminal)
      }
    }
  }
}
