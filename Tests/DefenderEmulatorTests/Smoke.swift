import Testing

@Suite struct DefenderEmulatorTestsSmoke {
  @Test func builds() { #expect(Bool(true)) }
}
