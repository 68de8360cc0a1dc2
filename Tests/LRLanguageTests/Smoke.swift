import Testing

@Suite struct LRLanguageTestsSmoke {
  @Test func builds() { #expect(Bool(true)) }
}
