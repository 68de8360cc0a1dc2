import Testing

@Suite struct DefenderClientTestsSmoke {
  @Test func builds() { #expect(Bool(true)) }
}
