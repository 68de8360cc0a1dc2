import DefenderClient
import Testing

/// What an error prints (`"\(error)"` in the engine, the REPL and JSON lines) is for users: the
/// service's message, its code and the correlation id, never the type or kind name.
@Suite struct ErrorDescriptionTests {
  @Test func descriptionIsTheMessageCodeAndCorrelationID() {
    let error = DefenderClientError(
      .permissionDenied, "the app lacks permission Machine.LiveResponse", httpStatus: 403,
      serviceCode: "Forbidden", correlationID: "c0ffee")
    #expect(
      "\(error)"
        == "the app lacks permission Machine.LiveResponse [Forbidden] (correlation id c0ffee)")
    #expect(!String(describing: error).contains("DefenderClientError"))
    #expect(!String(describing: error).contains("permissionDenied"))
  }

  @Test func aCodeTheMessageAlreadyNamesIsNotRepeated() {
    let error = DefenderClientError(
      .activeRequestAlreadyExists, "ActiveRequestAlreadyExists: a session is open",
      serviceCode: "ActiveRequestAlreadyExists")
    #expect("\(error)" == "ActiveRequestAlreadyExists: a session is open")
  }
}
