import DefenderClient
import LREngine
import LRLanguage

/// How `lr run`, `lr resume` and `lr rerun` drive the engine: the live view on a terminal (else
/// the renderer's lines or JSON lines), the `--confirm-above` question asked above it, and a run
/// the engine refuses reported as a usage error (exit 2).
struct RunDriver {
  var format: OutputFormat
  var renderer: RunRenderer
  /// `--yes`: every confirmation is answered yes.
  var assumeYes: Bool
  /// `--dry-run`: the plan is printed and no live view is drawn.
  var dryRun = false

  /// Builds the engine of `workspace` with `options`, shows its events and runs `body` with it.
  func drive(
    _ plan: Plan, workspace: RunWorkspace, api: DefenderAPI, options: Engine.Options,
    _ body: (Engine) async throws -> RunSummary
  ) async throws -> RunSummary {
    var options = options
    let (assumeYes, renderer) = (assumeYes, renderer)
    let live = await LiveRunView.make(
      format: format, dryRun: dryRun, plan: plan, renderer: renderer, governor: api.governor)
    options.confirm = { statement, count in
      if assumeYes { return true }
      live?.pause()
      return RunCommand.ask(
        "statement \(statement) will run on \(count) machines. Continue? [y/N] ")
    }
    let engine = workspace.engine(api: api, options: options) { event in
      if let live { live.handle(event) } else { renderer.handle(event) }
    }
    live?.start()
    defer { live?.stop() }
    if dryRun { renderer.planned(plan) }
    do {
      return try await body(engine)
    } catch let error as Engine.RunError {
      live?.pause()
      Terminal.printError("lr: error: " + Terminal.sanitize(error.description))
      throw ExitStatus.usage
    }
  }
}
