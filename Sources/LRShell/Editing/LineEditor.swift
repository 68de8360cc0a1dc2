@preconcurrency import CEditLine
import Foundation
import LRLanguage
import LRPrompt
import LRSystem

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The terminal line editor: libedit in callback mode on one thread that owns the terminal.
///
/// The thread `poll()`s standard input and a wake-up pipe. Other tasks never touch the terminal:
/// ``printAbove(_:)`` queues text and writes a byte to the pipe; the thread then erases the prompt
/// rows, prints the text and redraws the prompt with the partly typed input intact. Ctrl-C
/// (SIGINT) writes to the same pipe from a signal handler.
public final class LineEditor: @unchecked Sendable {
  /// What the editor hands to the REPL loop.
  public enum Input: Sendable, Equatable {
    /// A complete input (all lines of a multi-line statement, joined by newlines).
    case line(String)
    /// Ctrl-C on an empty line, or while an input is being evaluated.
    case interrupt
    /// Ctrl-D on an empty line.
    case endOfInput
    /// The answer to ``ask(_:)`` (nil: Ctrl-C or Ctrl-D instead of an answer).
    case answer(String?)
  }

  private enum Command {
    case print(String)
    case prompt(String)
    case ask(String)
    case stop
  }

  private let history: HistoryFile?
  private let completer: Completer
  private let completionContext: @Sendable () -> CompletionContext
  private let queue = Locked<[Command]>([])
  private var wakeRead: Int32 = -1
  private var wakeWrite: Int32 = -1
  private var continuation: AsyncStream<Input>.Continuation?
  private var thread: Thread?

  // Terminal-thread state (touched only on that thread).
  /// Whether the libedit line handler is installed (the terminal is in libedit's mode).
  private var installed = false
  /// Whether keys are read (false while the REPL evaluates an input).
  private var reading = false
  private var pending: [String] = []
  private var currentPrompt = ""
  private var acceptedLine: String??
  /// Whether keys were read since the prompt was (re)installed.
  private var keysSincePrompt = false
  /// Whether the current prompt is a question (``ask(_:)``): its line is an answer.
  private var asking = false

  /// The editor whose callbacks libedit calls (one terminal, one editor).
  nonisolated(unsafe) private static var active: LineEditor?

  /// An editor with history and completion.
  public init(
    history: HistoryFile?, completer: Completer,
    completionContext: @escaping @Sendable () -> CompletionContext
  ) {
    self.history = history
    self.completer = completer
    self.completionContext = completionContext
  }

  /// Starts the terminal thread, showing `prompt`; inputs arrive on the returned stream. With a
  /// prompt the `lr` launcher drew (``InstantPrompt``), the terminal thread takes its line over
  /// before libedit reads the terminal's mode, and the keys typed since are read as typed.
  public func start(prompt: String, replacing drawn: InstantPrompt.Drawn? = nil)
    -> AsyncStream<Input>
  {
    let (stream, continuation) = AsyncStream.makeStream(of: Input.self)
    self.continuation = continuation
    var fds: [Int32] = [0, 0]
    if pipe(&fds) == 0 {
      wakeRead = fds[0]
      wakeWrite = fds[1]
      _ = fcntl(wakeRead, F_SETFL, fcntl(wakeRead, F_GETFL) | O_NONBLOCK)
      _ = fcntl(wakeWrite, F_SETFL, fcntl(wakeWrite, F_GETFL) | O_NONBLOCK)
    }
    let thread = Thread { [self] in
      drawn?.takeOver()
      self.run(prompt: prompt)
    }
    thread.name = "lr-terminal"
    self.thread = thread
    thread.start()
    return stream
  }

  /// Prints text above the prompt (from any thread or task); the typed input is redrawn intact.
  public func printAbove(_ text: String) {
    send(.print(text))
  }

  /// Shows the prompt again after an input was handled, and resumes reading.
  public func prompt(_ prompt: String) {
    send(.prompt(prompt))
  }

  /// Asks a one-line question (instead of the prompt); the answer arrives as ``Input/answer(_:)``
  /// and is not added to the history.
  public func ask(_ question: String) {
    send(.ask(question))
  }

  /// Stops the terminal thread and restores the terminal.
  public func stop() {
    send(.stop)
  }

  private func send(_ command: Command) {
    queue.withLock { $0.append(command) }
    var byte: UInt8 = UInt8(ascii: "w")
    _ = write(wakeWrite, &byte, 1)
  }

  // MARK: - The terminal thread

  private func run(prompt: String) {
    LineEditor.active = self
    cedit_set_streams()
    cedit_set_readline_name(LineEditor.readlineName)
    cedit_set_catch_signals(0)
    _ = rl_initialize()
    stifle_history(1000)
    for entry in history?.entries ?? [] { _ = add_history(entry) }
    cedit_set_completion(LineEditor.completionCallback)
    cedit_set_word_break_characters(LineEditor.wordBreaks)
    // Tab: the readline-compatible completion (calls `completionCallback`).
    _ = rl_parse_and_bind("bind ^I rl_complete")
    _ = rl_parse_and_bind("bind ^R em-inc-search-prev")
    cedit_install_signals(wakeWrite)
    install(prompt)
    loop()
    if installed { rl_callback_handler_remove() }
    cedit_restore_signals()
    LineEditor.active = nil
    continuation?.finish()
  }

  // libedit keeps these pointers: allocated once, never freed.
  nonisolated(unsafe) private static let wordBreaks = strdup(" \t\n\"'<>;,[]()=+")
  nonisolated(unsafe) private static let readlineName = strdup("lr")

  private func install(_ prompt: String, asking: Bool = false) {
    if installed { rl_callback_handler_remove() }
    currentPrompt = prompt
    self.asking = asking
    if prompt != Session.continuationPrompt && !asking { lastPrimaryPrompt = prompt }
    rl_callback_handler_install(prompt, LineEditor.lineCallback)
    installed = true
    reading = true
    keysSincePrompt = false
  }

  private func loop() {
    var fds = [
      pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0),
      pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
    ]
    while true {
      fds[0].revents = 0
      fds[1].revents = 0
      let count = poll(&fds, reading ? 2 : 1, -1)
      if count < 0 {
        if errno == EINTR { continue }
        return
      }
      if fds[0].revents != 0 {
        if !drainWakePipe() { return }
      }
      if reading, fds[1].revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
        acceptedLine = nil
        keysSincePrompt = true
        rl_callback_read_char()
        if let accepted = acceptedLine { accept(accepted) }
      }
    }
  }

  /// Handles queued commands and interrupts; false when the editor should stop.
  private func drainWakePipe() -> Bool {
    var buffer = [UInt8](repeating: 0, count: 256)
    var interrupts = 0
    var resized = false
    while true {
      let n = read(wakeRead, &buffer, buffer.count)
      if n <= 0 { break }
      interrupts += buffer[0..<n].filter { $0 == UInt8(ascii: "I") }.count
      resized = resized || buffer[0..<n].contains(UInt8(ascii: "W"))
    }
    // SIGWINCH: libedit re-reads the size, so wrapping (and ``inputRowsAboveCursor``) stay right.
    if resized && installed { rl_resize_terminal() }
    let commands = queue.withLock { queued in
      let all = queued
      queued.removeAll()
      return all
    }
    for command in commands {
      switch command {
      case .print(let text): show(text)
      case .prompt(let prompt):
        pending = []
        install(prompt)
      case .ask(let question):
        pending = []
        if installed && reading { writeAll(eraseInput()) }
        install(question, asking: true)
      case .stop: return false
      }
    }
    if interrupts > 0 { interrupt() }
    return true
  }

  /// Ctrl-C: clear a typed line (or a multi-line statement in progress), else tell the REPL.
  private func interrupt() {
    guard reading else {
      continuation?.yield(.interrupt)
      return
    }
    // libedit updates `rl_end` after each key, but keeps the last input's value until one is read.
    let typed = (keysSincePrompt && cedit_end() > 0) || !pending.isEmpty
    rl_replace_line("", 0)
    pending = []
    writeAll("^C\r\n")
    if asking {
      // Ctrl-C answers a question with "no"; the REPL shows the prompt again.
      reading = false
      continuation?.yield(.answer(nil))
      return
    }
    if !typed { continuation?.yield(.interrupt) }
    install(lastPrimaryPrompt)
  }

  private var lastPrimaryPrompt = "lr> "

  /// Prints text above the prompt and redraws the prompt and the typed input.
  private func show(_ text: String) {
    // (On bytes: in a Swift String "\r\n" is one Character, which `hasSuffix("\n")` misses.)
    var text = String(decoding: Self.crlf(Array(text.utf8)), as: UTF8.self)
    if text.utf8.last != UInt8(ascii: "\n") { text += "\r\n" }
    guard reading else {
      // While an input is evaluated libedit has already redrawn an empty prompt: erase it.
      writeAll((installed ? "\r\u{1B}[2K" : "") + text)
      return
    }
    // Erase the prompt and the input (every row it wraps over, from the first one down), print,
    // then let libedit redraw prompt and input from scratch below the text.
    writeAll(eraseInput() + text)
    rl_forced_update_display()
  }

  /// Text with every line ending as CR LF (the terminal is in raw mode while libedit reads).
  static func crlf(_ bytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count + bytes.count / 16)
    for (i, byte) in bytes.enumerated() {
      if byte == 10 && (i == 0 || bytes[i - 1] != 13) { out.append(13) }
      out.append(byte)
    }
    return out
  }

  /// The bytes that move to the prompt's first row and clear the prompt and input below it.
  private func eraseInput() -> String {
    let up = inputRowsAboveCursor()
    return "\r" + (up > 0 ? "\u{1B}[\(up)A" : "") + "\u{1B}[J"
  }

  /// Rows between the prompt's first row and the cursor's row: the prompt and the input before
  /// the cursor, in terminal columns, wrapped at the terminal's width.
  private func inputRowsAboveCursor() -> Int {
    let columns = Int(cedit_terminal_columns(STDOUT_FILENO))
    guard columns > 0 else { return 0 }
    // `rl_line_buffer` and `rl_point` are current after each key read in callback mode; before
    // the first key at a prompt they still describe the previous input.
    var before = ""
    if keysSincePrompt, let buffer = cedit_line_buffer() {
      let count = max(0, min(Int(cedit_point()), Int(cedit_end())))
      before = buffer.withMemoryRebound(to: UInt8.self, capacity: count) {
        String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self)
      }
    }
    return DisplayWidth.of(currentPrompt + before) / columns
  }

  /// A line arrived from libedit (nil: Ctrl-D on an empty line).
  private func accept(_ line: String?) {
    if asking {
      // An answer: not a statement, not history. (Ctrl-D answers nil.)
      if line == nil { writeAll("\r\n") }
      reading = false
      writeAll("\r\u{1B}[2K")
      continuation?.yield(.answer(line))
      return
    }
    guard let line else {
      if !pending.isEmpty {
        // Ctrl-D inside a multi-line statement abandons the statement.
        pending = []
        writeAll("\r\n")
        install(lastPrimaryPrompt)
        return
      }
      writeAll("\r\n")
      reading = false
      installed = false
      rl_callback_handler_remove()
      continuation?.yield(.endOfInput)
      return
    }
    pending.append(line)
    let text = pending.joined(separator: "\n")
    let complete =
      (pending.count == 1 && MetaCommand.isMetaCommand(line)) || !Analysis.needsMoreInput(text)
    guard complete else {
      install(Session.continuationPrompt)
      return
    }
    pending = []
    if !text.allSatisfy(\.isWhitespace) {
      _ = add_history(text)
      history?.add(text)
    }
    // libedit redraws an empty prompt after a line; erase it until the REPL asks for the next.
    reading = false
    writeAll("\r\u{1B}[2K")
    continuation?.yield(.line(text))
  }

  private func writeAll(_ text: String) {
    cedit_flush_stdout()
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
      let n = bytes.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
      if n < 0 && errno == EINTR { continue }
      if n <= 0 { return }
      bytes = bytes.dropFirst(n)
    }
  }

  // MARK: - libedit callbacks (called on the terminal thread)

  private static let lineCallback: @convention(c) (UnsafeMutablePointer<CChar>?) -> Void = { raw in
    guard let editor = LineEditor.active else { return }
    if let raw {
      editor.acceptedLine = .some(String(cString: raw))
      free(raw)
    } else {
      editor.acceptedLine = .some(nil)
    }
  }

  private static let completionCallback:
    @convention(c) (UnsafePointer<CChar>?, Int32, Int32) -> UnsafeMutablePointer<
      UnsafeMutablePointer<CChar>?
    >? = { text, _, _ in
      cedit_set_attempted_completion_over(1)
      guard let editor = LineEditor.active else { return nil }
      let word = text.map { String(cString: $0) } ?? ""
      let line = (cedit_line_buffer().map { String(cString: $0) } ?? "")
      let cursor = Int(cedit_point())
      let candidates = editor.completions(line: line, cursor: cursor, word: word)
      return LineEditor.matchArray(candidates)
    }

  /// Candidates expressed as replacements of libedit's `word` (the text before the cursor after
  /// the last word-break character).
  func completions(line: String, cursor: Int, word: String) -> [String] {
    let pendingText = pending.joined(separator: "\n")
    let answer = completer.complete(
      line: line, cursor: cursor, pending: pendingText, context: completionContext())
    let bytes = Array(line.utf8)
    let wordStart = max(0, min(cursor, bytes.count) - word.utf8.count)
    return answer.candidates.compactMap { candidate -> String? in
      if wordStart <= answer.start {
        let lead = String(
          decoding: bytes[wordStart..<min(answer.start, bytes.count)], as: UTF8.self)
        return lead + candidate
      }
      let overlap = String(decoding: bytes[answer.start..<wordStart], as: UTF8.self)
      return candidate.hasPrefix(overlap) ? String(candidate.dropFirst(overlap.count)) : nil
    }
  }

  /// The NULL-terminated array libedit expects: the common prefix, then every match (malloc'd).
  static func matchArray(_ candidates: [String]) -> UnsafeMutablePointer<
    UnsafeMutablePointer<CChar>?
  >? {
    guard !candidates.isEmpty else { return nil }
    // libedit reads a single match as [match, match, NULL] (as `rl_completion_matches` builds it).
    let entries = [commonPrefix(candidates)] + candidates
    let size = MemoryLayout<UnsafeMutablePointer<CChar>?>.stride * (entries.count + 1)
    guard let raw = malloc(size) else { return nil }
    let array = raw.bindMemory(to: UnsafeMutablePointer<CChar>?.self, capacity: entries.count + 1)
    for (i, entry) in entries.enumerated() { array[i] = strdup(entry) }
    array[entries.count] = nil
    return array
  }

  static func commonPrefix(_ strings: [String]) -> String {
    guard var prefix = strings.first else { return "" }
    for s in strings.dropFirst() {
      while !s.hasPrefix(prefix) { prefix.removeLast() }
    }
    return prefix
  }
}
