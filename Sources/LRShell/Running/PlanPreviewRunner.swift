import LRLanguage

/// The runner used without a connection (`lr --offline`, or no profile configured): it sends
/// nothing and shows each request body exactly as it would be POSTed.
public struct PlanPreviewRunner: StatementRunner {
  public init() {}

  public var kind: RunnerKind { .offline }

  public func run(
    _ plan: Plan, context: RunContext, events: @escaping @Sendable (ShellEvent) -> Void
  ) async throws -> ResultValues {
    preview(plan.steps, events: events)
    events(.finished(.previewed, elapsedSeconds: 0))
    return [:]
  }

  /// Emits the statements of `steps` in order; both branches of an `if`, labelled.
  private func preview(_ steps: [PlanStep], events: @escaping @Sendable (ShellEvent) -> Void) {
    for step in steps {
      switch step {
      case .statement(let statement):
        let machine: ShellEvent.Machine? =
          if statement.target.terms.count == 1, case .machine(let name) = statement.target.terms[0]
          {
            ShellEvent.Machine(name: name.description)
          } else {
            nil
          }
        events(.submitted(target: statement.target.summary, requests: statement.requests.count))
        for (index, request) in statement.requests.enumerated() {
          events(
            .preview(
              machine: machine, request: request, index: index, count: statement.requests.count))
        }
      case .branch(let branch):
        events(.note("if \(branch.condition): decided at run time from results; the `then` steps:"))
        preview(branch.thenSteps, events: events)
        if !branch.elseSteps.isEmpty {
          events(.note("else: the `else` steps:"))
          preview(branch.elseSteps, events: events)
        }
      }
    }
  }

  public func cancel(job: JobID) async throws {}

  public func machines(filter: String?) async throws -> [MachineRecord] {
    throw RunnerError.notConnected
  }

  public func library() async throws -> [LibraryRecord] { throw RunnerError.notConnected }

  public func actions() async throws -> [ActionRecord] { throw RunnerError.notConnected }
}
