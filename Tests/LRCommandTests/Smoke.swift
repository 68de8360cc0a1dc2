import Testing

@Suite struct LRCommandTestsSmoke {
  @Test func builds() { #expect(Bool(true)) }
}
