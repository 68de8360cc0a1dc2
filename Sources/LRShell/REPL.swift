@preconcurrency import CEditLine
import Foundation
import LRLanguage
import LRSystem

/// Runs a session on the terminal (line editing, live output above the prompt) or, when standard
/// input is not a terminal, over piped statements like a batch script.
public enum REPL {
  /// How to start.
  public struct Options: Sendable {
    public var runner: any StatementRunner
    public var modules: any ModuleProvider
    /// The history file's profile name (`offline`, `lab` or the profile).
    public var historyProfile: String
    /// Output mode; nil: human on a terminal, JSON lines otherwise.
    public var outputMode: OutputMode?
    /// Library script names known locally (completion offline).
    public var localScripts: [String]
    /// Printed before the first prompt (terminal only).
    public var banner: String?
    public var environment: [String: String]
    /// The banner and first prompt the `lr` launcher drew (``InstantPrompt``), if it did: the
    /// banner is not printed again and the first prompt replaces the drawn one.
    public var drawn: InstantPrompt.Drawn?

    public init(
      runner: any StatementRunner, modules: any ModuleProvider, historyProfile: String,
      outputMode: OutputMode? = nil, localScripts: [String] = [], banner: String? = nil,
      environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
      self.runner = runner
      self.modules = modules
      self.historyProfile = historyProfile
      self.outputMode = outputMode
      self.localScripts = localScripts
      self.banner = banner
      self.environment = environment
    }
  }

  /// Runs until `.quit`, Ctrl-D or the end of input; returns the exit status (2 when piped input
  /// had errors).
  public static func run(_ options: Options) async -> Int32 {
    _ = cedit_utf8_locale()
    if isatty(STDIN_FILENO) == 1 {
      return await interactive(options)
    }
    return await batch(options)
  }

  private static func interactive(_ options: Options) async -> Int32 {
    let history = HistoryFile(
      url: HistoryFile.defaultURL(profile: options.historyProfile, environment: options.environment)
    )
    let configuration = Session.Configuration(
      modules: options.modules, outputMode: options.outputMode ?? .human,
      colors: TerminalColors.enabled(on: STDOUT_FILENO, environment: options.environment),
      terminal: true, history: history,
      localScripts: options.localScripts, width: { Int(cedit_terminal_columns(STDOUT_FILENO)) })
    let box = Locked<LineEditor?>(nil)
    let output = ShellOutput(
      out: { text in box.withLock { $0 }?.printAbove(text) },
      err: { text in box.withLock { $0 }?.printAbove(text) })
    let session = Session(runner: options.runner, configuration: configuration, output: output)
    let editor = LineEditor(
      history: history, completer: Completer(modules: options.modules),
      completionContext: { session.completionContext() })
    box.withLock { $0 = editor }
    if let banner = options.banner, options.drawn == nil { StandardStreams.out(banner) }
    Task { await session.loadServiceNames() }
    var stopped = false
    /// The job a y/N question is about (Ctrl-C while it runs on a device).
    var confirming: JobID?
    let first = await session.prompt
    for await input in editor.start(prompt: first, replacing: options.drawn) {
      guard !stopped else { continue }
      switch input {
      case .answer(let answer):
        if let id = confirming { await session.confirmCancel(id, answer: answer) }
        confirming = nil
        editor.prompt(await session.prompt)
      case .line(let text):
        if await session.evaluate(text) == .quit {
          stopped = true
          editor.stop()
        } else {
          editor.prompt(await session.prompt)
        }
      case .interrupt:
        if case .confirm(let id, let question) = await session.interrupt() {
          confirming = id
          editor.ask(question)
        }
      case .endOfInput:
        _ = await session.evaluate(".quit")
        stopped = true
        editor.stop()
      }
    }
    return 0
  }

  private static func batch(_ options: Options) async -> Int32 {
    let stdoutIsTerminal = isatty(STDOUT_FILENO) == 1
    let configuration = Session.Configuration(
      modules: options.modules,
      outputMode: options.outputMode ?? (stdoutIsTerminal ? .human : .json),
      colors: TerminalColors.enabled(on: STDOUT_FILENO, environment: options.environment),
      localScripts: options.localScripts)
    let output = ShellOutput(
      out: { StandardStreams.out($0) }, err: { StandardStreams.err($0) })
    let session = Session(runner: options.runner, configuration: configuration, output: output)
    var reader = StatementReader()
    while let line = readLine(strippingNewline: true) {
      guard let input = reader.add(line) else { continue }
      let next = await session.evaluate(input)
      await session.waitForJobs()
      if next == .quit { return await session.errorCount > 0 ? 2 : 0 }
    }
    if let rest = reader.finish() {
      _ = await session.evaluate(rest)
      await session.waitForJobs()
    }
    return await session.errorCount > 0 ? 2 : 0
  }
}
