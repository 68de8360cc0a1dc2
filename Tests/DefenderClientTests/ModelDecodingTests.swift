import Foundation
import LiveResponse
import NIOCore
import NIOHTTP1
import Testing

@testable import DefenderClient

/// Decodes the samples printed in the reference (docs and observed responses).
@Suite struct ModelDecodingTests {
  @Test func machineSampleFromTheDocs() throws {
    let json = """
      {"id": "1e5bc9d7e413ddd7902c2932e418702b84d0cc07", "computerDnsName": "mymachine1.contoso.com",
       "firstSeen": "2018-08-02T14:55:03.7791856Z", "lastSeen": "2018-08-02T14:55:03.7791856Z",
       "osPlatform": "Windows10", "version": "1709", "osProcessor": "x64", "lastIpAddress": "172.17.230.209",
       "lastExternalIpAddress": "167.220.196.71", "osBuild": 18209, "healthStatus": "Active", "rbacGroupId": 140,
       "rbacGroupName": "The-A-Team", "riskScore": "Low", "exposureLevel": "Medium", "isAadJoined": true,
       "aadDeviceId": "80fe8ff8-2624-418e-9591-41f0491218f9", "machineTags": ["test tag 1", "test tag 2"],
       "onboardingstatus": "onboarded", "somethingNew": {"nested": [1,2]}}
      """
    let machine = try JSONDecoder().decode(Machine.self, from: Data(json.utf8))
    #expect(machine.id == "1e5bc9d7e413ddd7902c2932e418702b84d0cc07")
    #expect(machine.shortName == "mymachine1")
    #expect(machine.osBuild == 18209)
    #expect(machine.rbacGroupId == 140)
    #expect(machine.onboardingStatus == "onboarded")
    #expect(machine.machineTags == ["test tag 1", "test tag 2"])
  }

  @Test func machineToleratesStringNumbersAndNulls() throws {
    let json =
      #"{"id":"a","osBuild":"19045","rbacGroupId":null,"machineTags":null,"isAadJoined":"false"}"#
    let machine = try JSONDecoder().decode(Machine.self, from: Data(json.utf8))
    #expect(machine.osBuild == 19045)
    #expect(machine.rbacGroupId == nil)
    #expect(machine.machineTags == [])
    #expect(machine.isAadJoined == false)
  }

  @Test func liveResponseActionSample() throws {
    let json = #"""
      {"@odata.context": "https://api.securitycenter.microsoft.com/api/$metadata#MachineActions/$entity",
       "id": "{machine_action_id}", "type": "LiveResponse", "requestor": "analyst@microsoft.com",
       "requestorComment": "Testing Live Response API", "status": "Pending", "machineId": "{machine_id}",
       "computerDnsName": "hostname", "creationDateTimeUtc": "2021-02-04T15:36:52.7788848Z",
       "lastUpdateDateTimeUtc": "2021-02-04T15:36:52.7788848Z", "errorHResult": 0,
       "commands": [
         {"index": 0, "startTime": null, "endTime": null, "commandStatus": "Created", "errors": [],
          "command": {"type": "RunScript", "params": [{"key": "ScriptName","value": "minidump.ps1"},{"key": "Args","value": "OfficeClickToRun"}]}},
         {"index": 1, "startTime": null, "endTime": null, "commandStatus": "Created", "errors": [],
          "command": {"type": "GetFile", "params": [{"key": "Path", "value": "C:\\windows\\TEMP\\OfficeClickToRun.dmp.zip"}]}}
       ]}
      """#
    let action = try JSONDecoder().decode(MachineAction.self, from: Data(json.utf8))
    #expect(action.status == .pending)
    #expect(!action.status.isTerminal)
    #expect(action.commands.count == 2)
    #expect(
      action.commands[1].command.parameter("path") == #"C:\windows\TEMP\OfficeClickToRun.dmp.zip"#)
    #expect(action.commands[0].command == .runScript("minidump.ps1", args: "OfficeClickToRun"))
  }

  @Test func listSpellingAndCompletedAction() throws {
    let json = """
      {"@odata.context": "x", "value": [
        {"id": "c141bb71", "type": "LiveResponse", "title": null, "status": "Succeeded",
         "lastUpdateTimeUtc": "2023-03-18T21:04:41.93163Z", "externalId": null, "troubleshootInfo": null,
         "commands": [{"index": 0, "startTime": "2023-03-18T21:04:01.92Z", "endTime": "2023-03-18T21:04:04.693Z",
           "commandStatus": "Completed", "errors": [{"code": "x"}],
           "command": {"type": "RunScript", "params": [{"key": "ScriptName", "value": "Add-DomainAdmin.ps1"}]}}]},
        {"id": "b", "status": "Canceled"}, {"id": "c", "status": "TimeOut"}
      ], "@odata.nextLink": "https://next"}
      """
    let page = try JSONDecoder().decode(ODataCollection<MachineAction>.self, from: Data(json.utf8))
    #expect(page.value[0].lastUpdateDateTimeUtc == "2023-03-18T21:04:41.93163Z")
    #expect(page.value[0].commands[0].isCompleted)
    #expect(page.value[0].commands[0].errors == ["code: x"])
    #expect(page.value[1].status == .cancelled)
    #expect(page.value[2].status.isTerminal)
    #expect(page.nextLink == "https://next")
  }

  @Test func requestBodyMatchesTheDocumentedShape() throws {
    let request = LiveResponseRequest(
      commands: [
        .runScript("minidump.ps1", args: "OfficeClickToRun"),
        .getFile(#"C:\windows\TEMP\OfficeClickToRun.dmp.zip"#),
      ], comment: "Testing Live Response API")
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    let text = String(decoding: try encoder.encode(request), as: UTF8.self)
    #expect(
      text
        == #"{"Commands":[{"params":[{"key":"ScriptName","value":"minidump.ps1"},{"key":"Args","value":"OfficeClickToRun"}],"type":"RunScript"},{"params":[{"key":"Path","value":"C:\\windows\\TEMP\\OfficeClickToRun.dmp.zip"}],"type":"GetFile"}],"Comment":"Testing Live Response API"}"#
    )
  }

  @Test(arguments: [
    #"{"script_name": "minidump.ps1", "exit_code": 0, "script_output": "out\n\u0000", "script_errors": ""}"#,
    #"{"name": "minidump.ps1", "exit_code": "0", "script_output": "out\n\u0000", "script_error": ""}"#,
  ])
  func transcriptBothSpellings(json: String) throws {
    let transcript = try JSONDecoder().decode(ScriptTranscript.self, from: Data(json.utf8))
    #expect(transcript.scriptName == "minidump.ps1")
    #expect(transcript.exitCode == 0)
    #expect(transcript.scriptOutput == "out\n\u{0}")
    #expect(transcript.scriptErrors == "")
  }

  /// A host's output with bytes that are not UTF-8 is kept (as U+FFFD), not dropped.
  @Test func transcriptWithInvalidUTF8KeepsTheOutput() throws {
    var data = Data(#"{"script_name":"x.ps1","exit_code":3,"script_output":"a"#.utf8)
    data += [0xFF, 0xFE, 0xC3, 0x28]
    data += Data(#"b\n","script_errors":""}"#.utf8)
    let transcript = try ScriptTranscript.decode(from: data)
    #expect(transcript.exitCode == 3)
    #expect(transcript.scriptOutput == "a\u{FFFD}\u{FFFD}\u{FFFD}(b\n")
  }

  @Test func librarySample() throws {
    let json = """
      {"@odata.context": "x", "value": [
        {"fileName": "script1.ps1", "sha256": "6e212a0d", "description": null,
         "creationTime": "2019-10-24T10:54:23.2009016Z", "lastUpdatedTime": "2019-10-24T10:54:23.2009016Z",
         "createdBy": "admin", "hasParameters": true, "parametersDescription": "test"},
        {"fileName": "memdump.exe", "sha256": "fa70b877", "description": "Process memory dump",
         "creationTime": "2018-10-24T10:54:23.2009016Z", "lastUpdatedTime": "2018-10-24T10:54:23.2009016Z",
         "createdBy": "admin", "hasParameters": false}]}
      """
    let files = try JSONDecoder().decode(ODataCollection<LibraryFile>.self, from: Data(json.utf8))
    #expect(files.value.map(\.fileName) == ["script1.ps1", "memdump.exe"])
    #expect(files.value[0].hasParameters == true)
    #expect(files.value[1].parametersDescription == nil)
  }

  @Test func serviceErrorMapping() {
    func response(_ status: Int, _ body: String) -> BufferedResponse {
      BufferedResponse(status: status, headers: [:], body: .init(string: body))
    }
    let busy = DefenderAPI.mapError(
      response(
        400,
        #"{"error":{"code":"ActiveRequestAlreadyExists","message":"Action is already in progress","target":"t1"}}"#
      ),
      endpoint: .runLiveResponse)
    #expect(busy.kind == .activeRequestAlreadyExists)
    #expect(busy.correlationID == "t1")
    let forbidden = DefenderAPI.mapError(
      response(403, #"{"error":{"code":"Forbidden","message":"no"}}"#), endpoint: .library)
    #expect(forbidden.kind == .permissionDenied)
    #expect(forbidden.message.contains("Library.Manage"))
    let missing = DefenderAPI.mapError(
      response(
        404, #"{"error":{"code":"ResourceNotFound","message":"Machine 123 was not found"}}"#),
      endpoint: .machines)
    #expect(missing.kind == .notFound)
    #expect(missing.message == "Machine 123 was not found")
    #expect(
      DefenderAPI.mapError(response(503, "oops"), endpoint: .machines).kind == .serviceUnavailable)
  }

  @Test func retryAfterParsing() {
    #expect(DefenderHTTP.retryAfter(["Retry-After": "7"]) == .seconds(7))
    let now = Date(timeIntervalSince1970: 1_000_000)
    let later = "Mon, 12 Jan 1970 13:47:00 GMT"  // 1_000_020
    #expect(DefenderHTTP.retryAfter(["Retry-After": later], now: now) == .seconds(20))
    #expect(DefenderHTTP.retryAfter(["Retry-After": "soon"]) == nil)
  }

  @Test func entraErrorsAreExplained() {
    func explain(_ error: String, _ code: Int) -> DefenderClientError {
      EntraErrorExplainer.error(
        status: 400,
        body: EntraErrorBody(
          error: error, errorDescription: "AADSTS\(code): x", errorCodes: [code]),
        tenant: "lab", clientID: "lr-lab")
    }
    #expect(explain("invalid_client", 7_000_215).message.contains("client secret"))
    #expect(explain("invalid_request", 90_002).message.contains("tenant \"lab\" is unknown"))
    #expect(explain("unauthorized_client", 700_016).message.contains("not registered"))
    #expect(explain("invalid_grant", 65_001).message.contains("consent"))
    #expect(explain("invalid_resource", 500_011).message.contains("consent"))
    #expect(explain("invalid_client", 7_000_215).kind == .signIn)
  }

  @Test func submissionTokenRoundTrip() {
    let token = SubmissionToken.make()
    let comment = SubmissionToken.tagged("collect [lr:old] dump", token: token)
    #expect(SubmissionToken.find(in: comment) == token)
    #expect(SubmissionToken.find(in: "no token") == nil)
  }

  @Test func machineInterfacesAndObservedFields() throws {
    let json = """
      {"id": "abc", "ipAddresses": [
         {"ipAddress": "10.1.4.9", "macAddress": "000D3A1B2C3D", "type": "Ethernet", "operationalStatus": "Up"},
         {"ipAddress": "fe80::1", "macAddress": null, "type": "SoftwareLoopback", "operationalStatus": "Up"}],
       "agentVersion": "10.8750.22621.1000", "isPotentialDuplication": "false",
       "mergedIntoMachineId": null, "managedBy": "Intune", "vmMetadata": {"vmId": "x"}}
      """
    let machine = try JSONDecoder().decode(Machine.self, from: Data(json.utf8))
    #expect(
      machine.ipAddresses == [
        MachineIPAddress(
          ipAddress: "10.1.4.9", macAddress: "000D3A1B2C3D", type: "Ethernet",
          operationalStatus: "Up"),
        MachineIPAddress(ipAddress: "fe80::1", type: "SoftwareLoopback", operationalStatus: "Up"),
      ])
    #expect(machine.agentVersion == "10.8750.22621.1000")
    #expect(machine.isPotentialDuplication == false)
    #expect(machine.managedBy == "Intune")
    // Encoding keeps the documented names, so `lr machines --output json` shows them.
    let encoded = String(decoding: try JSONEncoder().encode(machine), as: UTF8.self)
    #expect(encoded.contains(#""ipAddresses":[{"#))
    #expect(encoded.contains(#""operationalStatus":"Up""#))
    let noInterfaces = try JSONDecoder().decode(
      Machine.self, from: Data(#"{"id":"a","ipAddresses":null}"#.utf8))
    #expect(noInterfaces.ipAddresses.isEmpty)
  }

  @Test func actionWithEveryDocumentedField() throws {
    let json = """
      {"id": "5382f7ea", "type": "StopAndQuarantineFile", "scope": "Selective", "title": "Quarantine",
       "requestor": "Analyst@contoso.com", "requestorComment": "c", "status": "Cancelled",
       "machineId": "m", "computerDnsName": "d", "creationDateTimeUtc": "2019-01-02T14:39:38Z",
       "lastUpdateDateTimeUtc": "2019-01-02T14:40:44Z", "cancellationRequestor": "lead@contoso.com",
       "cancellationComment": "wrong file", "cancellationDateTimeUtc": "2019-01-02T14:40:00Z",
       "errorHResult": -2147024891, "externalID": "case-7", "requestSource": "PublicApi",
       "relatedFileInfo": {"fileIdentifier": "87662bc3d60e4200ceaf7aae249d1c343f4b83c9", "fileIdentifierType": "Sha1"},
       "troubleshootInfo": null}
      """
    let action = try JSONDecoder().decode(MachineAction.self, from: Data(json.utf8))
    #expect(action.scope == "Selective")
    #expect(action.title == "Quarantine")
    #expect(action.externalId == "case-7")
    #expect(action.requestSource == "PublicApi")
    #expect(action.cancellationRequestor == "lead@contoso.com")
    #expect(action.cancellationComment == "wrong file")
    #expect(action.cancellationDateTimeUtc == "2019-01-02T14:40:00Z")
    #expect(action.errorHResult == -2_147_024_891)
    #expect(
      action.relatedFileInfo
        == RelatedFileInfo(
          fileIdentifier: "87662bc3d60e4200ceaf7aae249d1c343f4b83c9", fileIdentifierType: "Sha1"))
    #expect(action.troubleshootInfo == nil)
    #expect(action.status == .cancelled)
    let again = try JSONDecoder().decode(
      MachineAction.self, from: try JSONEncoder().encode(action))
    #expect(again == action)
    let noFile = try JSONDecoder().decode(
      MachineAction.self,
      from: Data(#"{"id":"x","relatedFileInfo":null,"troubleshootInfo":{"logs":"l"}}"#.utf8))
    #expect(noFile.relatedFileInfo == nil)
    #expect(noFile.troubleshootInfo == "logs: l")
  }

  @Test func oneBadEntryDoesNotFailThePage() throws {
    let json = """
      {"value": [{"id": "a", "status": "Pending"}, {"status": "Succeeded"}, 42, null,
                 {"id": "b", "status": "Succeeded"}, ["nested"]],
       "@odata.nextLink": "https://api.security.microsoft.com/api/machineactions?$skip=6"}
      """
    let page = try JSONDecoder().decode(ODataCollection<MachineAction>.self, from: Data(json.utf8))
    #expect(page.value.map(\.id) == ["a", "b"])
    #expect(page.skipped.count == 4)
    #expect(page.skipped[0].hasPrefix("entry 1: no id"))
    #expect(page.skipped[1].hasPrefix("entry 2"))
    #expect(page.nextLink?.hasSuffix("$skip=6") == true)
    let named = try JSONDecoder().decode(
      ODataCollection<Machine>.self, from: Data(#"{"value":[{"id":123456789012}]}"#.utf8))
    #expect(named.value.map(\.id) == ["123456789012"])
    let library = try JSONDecoder().decode(
      ODataCollection<LibraryFile>.self,
      from: Data(#"{"value":[{"fileName":"a.ps1"},{"sha256":"x"}]}"#.utf8))
    #expect(library.value.map(\.fileName) == ["a.ps1"])
    #expect(library.skipped == ["entry 1: no fileName"])
    let empty = try JSONDecoder().decode(
      ODataCollection<Machine>.self, from: Data(#"{"value":null}"#.utf8))
    #expect(empty.value.isEmpty && empty.skipped.isEmpty)
  }

  @Test func tokenPermissionsAreReadFromThePayload() {
    func jwt(_ claims: String) -> Secret {
      let payload = Data(claims.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
        .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
      return Secret("eyJhbGciOiJSUzI1NiJ9.\(payload).c2ln")
    }
    #expect(
      TokenClaims.permissions(in: jwt(#"{"roles":["Machine.Read.All"]}"#)) == ["Machine.Read.All"])
    #expect(
      TokenClaims.permissions(in: jwt(#"{"scp":"Machine.Read Library.Manage"}"#)) == [
        "Machine.Read", "Library.Manage",
      ])
    #expect(TokenClaims.permissions(in: jwt(#"{"aud":"x"}"#)) == [])
    #expect(TokenClaims.permissions(in: Secret("opaque")) == nil)
  }
}
