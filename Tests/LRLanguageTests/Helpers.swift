import LRLanguage
import LRTestSupport
import LiveResponse
import Testing

/// Compiles text as `test.lr` with optional in-memory modules.
func compile(
  _ text: String, modules: [String: String] = [:], options: Compiler.Options = .init()
) -> Compiler.Output {
  Compiler.compile(
    SourceFile(name: "test.lr", text: text), options: options, modules: InMemoryModules(modules))
}

/// The (id, offset) of each diagnostic, for comparing with markers.
func diagnosticPositions(_ output: Compiler.Output) -> [String] {
  output.diagnostics.map { "\($0.id)@\($0.range.lowerBound)" }
}

/// Asserts that marked text yields exactly the expected diagnostics at the markers.
func assertDiagnostics(
  _ marked: String, _ expected: [(id: String, marker: String)], modules: [String: String] = [:],
  options: Compiler.Options = .init(), sourceLocation: Testing.SourceLocation = #_sourceLocation
) {
  let source = MarkedSource(marked)
  let output = compile(source.text, modules: modules, options: options)
  let actual = output.diagnostics.filter { $0.file == "test.lr" }.map {
    "\($0.id)@\($0.range.lowerBound)"
  }
  let wanted = expected.map { "\($0.id)@\(source[$0.marker])" }
  #expect(actual == wanted, sourceLocation: sourceLocation)
}

/// The compact JSON lines of every request body in the plan.
func bodies(_ output: Compiler.Output) -> [String] {
  output.plan.allStatements.flatMap { $0.requests.map { $0.json().serialized() } }
}
