import LiveResponse
import Testing

/// The service's vocabulary, held once: statuses, commands, bodies, JSON, tokens, globs.
@Suite struct VocabularyTests {
  @Test func actionStatusReadsBothSpellingsAndWritesTheService() {
    #expect(ActionStatus("Canceled") == .cancelled)
    #expect(ActionStatus("cancelled") == .cancelled)
    #expect(ActionStatus("Timeout") == .timeOut)
    #expect(ActionStatus("Canceled").rawValue == "Cancelled")
    #expect(ActionStatus("Frozen") == .other("Frozen"))
    #expect(ActionStatus("Frozen").isTerminal)
    #expect(!ActionStatus.pending.isTerminal && !ActionStatus.inProgress.isTerminal)
    #expect(CommandStatus("completed") == .completed && CommandStatus.failed.isTerminal)
    #expect(!CommandStatus.created.isTerminal)
  }

  @Test func commandTypesKeepTheAPIOrder() {
    #expect(CommandType.isInAPIOrder([.putFile, .putFile, .runScript, .getFile]))
    #expect(!CommandType.isInAPIOrder([.getFile, .runScript]))
    #expect(CommandType.runScript.requiredParameter == "ScriptName")
  }

  @Test func requestBodyIsWrittenInTheDocumentedOrderAndReadBack() throws {
    let request = LiveResponseRequest(
      commands: [.runScript("minidump.ps1", args: "OfficeClickToRun"), .getFile(#"C:\a/b.zip"#)],
      comment: "triage")
    let body = request.body
    #expect(
      body
        == #"{"Commands":[{"type":"RunScript","params":[{"key":"ScriptName","value":"minidump.ps1"},{"key":"Args","value":"OfficeClickToRun"}]},{"type":"GetFile","params":[{"key":"Path","value":"C:\\a/b.zip"}]}],"Comment":"triage"}"#
    )
    #expect(try LiveResponseRequest.decode(Array(body.utf8)) == request)
  }

  @Test func requestBodyIsCheckedAsTheServiceDoes() {
    func problem(_ text: String) -> LiveResponseRequest.Problem? {
      do {
        _ = try LiveResponseRequest.decode(Array(text.utf8))
        return nil
      } catch { return error }
    }
    #expect(problem("[]") == .invalid("Request body is incorrect"))
    #expect(problem(#"{"commands":[]}"#) == .missing("Commands"))
    #expect(problem(#"{"Commands":[{"type":"GetFile","params":[]}]}"#) == .missing("Path"))
    #expect(
      problem(
        #"{"Commands":[{"type":"GetFile","params":[{"key":"Path","value":"a"}]},{"type":"PutFile","params":[{"key":"FileName","value":"x"}]}]}"#
      ) == .invalid("Commands must be in the order PutFile, RunScript, GetFile"))
  }

  @Test func jsonKeepsOrderAndEscapesHiddenCharacters() throws {
    let text = #"{"z":1,"a":[true,null,-2.5e3,"x\u202ey\n"],"m":{"k":"\ud83d\ude00"}}"#
    let value = try #require(JSONValue.parse(text))
    #expect(value.objectValue?.map(\.0) == ["z", "a", "m"])
    #expect(value["a"]?.arrayValue?[2] == .double(-2500))
    #expect(value["m"]?["k"]?.stringValue == "😀")
    #expect(value.serialized() == #"{"z":1,"a":[true,null,-2500,"x\u202ey\n"],"m":{"k":"😀"}}"#)
    #expect(JSONValue.parse("[1,]") == nil && JSONValue.parse("01") == nil)
    #expect(JSONValue.parse(String(repeating: "[", count: 10_000)) == nil)
  }

  @Test func rawBytesCopyInvalidUTF8AndEscapeTheRest() {
    let value = JSONValue.rawBytes([0x61, 0xFF, 0x0A, 0xE2, 0x80, 0xAE, 0x62])
    #expect(value.encoded() == Array(#""a"#.utf8) + [0xFF] + Array(#"\n\u202eb""#.utf8))
  }

  @Test func prettyOutputKeepsNamedMembersCompact() {
    let value = JSONValue.object([
      ("requests", .array([.object([("a", .number(1))]), .object([])])), ("n", .number(2)),
    ])
    #expect(
      value.serialized(pretty: true, compactMembers: ["requests"])
        == "{\n  \"requests\": [\n    {\"a\":1},\n    {}\n  ],\n  \"n\": 2\n}")
  }

  @Test func submissionTokensRoundTrip() {
    let token = SubmissionToken.make()
    #expect(token.count == 12 && token.allSatisfy(\.isHexDigit))
    #expect(SubmissionToken.find(in: SubmissionToken.tagged("x [lr:old]", token: token)) == token)
    #expect(SubmissionToken.find(in: "no token") == nil)
  }

  @Test func globIsCaseInsensitiveWithStarAndQuestionMark() {
    #expect(Glob.matches("ws-*", "WS-0142"))
    #expect(Glob.matches("ws-01?2", "WS-0142"))
    #expect(!Glob.matches("ws-?", "WS-0142"))
    #expect(Glob.matches("caf\u{E9}", "CAFE\u{301}"))
  }
}
