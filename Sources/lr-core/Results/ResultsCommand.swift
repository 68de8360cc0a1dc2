import ArgumentParser

/// `lr results [export] [RUN]` (a run's results as records) and `lr results fetch RUN` (its
/// saved files from the team database).
struct ResultsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "results",
    abstract: "Export a run's results as records, or fetch its saved files from a team database.",
    discussion: """
      `lr results [RUN]` (the same as `lr results export [RUN]`) prints one record per parsed \
      row; `lr results fetch RUN --team URL` writes the run's saved files (GetFile evidence, \
      transcripts) from the team database under --out.
      """,
    subcommands: [ResultsExportCommand.self, ResultsFetchCommand.self],
    defaultSubcommand: ResultsExportCommand.self)
}
