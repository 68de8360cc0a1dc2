/// The diagnostics of one document, kept up to date across edits by parsing and checking again
/// only the top-level statements an edit touches. Always identical to
/// `Compiler.compile(source, options: options, modules: modules).diagnostics`.
///
/// A document is a sequence of parse units (``ParsedUnit``: top-level statements). After an edit:
///
/// - **Parsing** starts again one unit before the last unit that starts before the edit (a unit's
///   parse looks at the first token of the next one) and stops at the first unit boundary after
///   the edit that is also an old boundary: from there the tokens, and so the units, are the old
///   ones moved by the edit's change in length.
///   (A string without its closing quote before the edit could now end inside it: then the whole
///   document is parsed again.)
/// - **Checking** runs the compiler's passes over `use` and `def` statements as usual, then walks
///   the units in order. An unchanged unit is not compiled again: its effects on the compiler's
///   state (the globals it defines, the globals a `def` captures) are replayed and its diagnostics
///   reused. Changed units are compiled in the state so rebuilt, and so are the unchanged units
///   that call a procedure defined in a changed unit, directly or through other procedures
///   (problems with a call's arguments, and the expansion limits, are reported at the call and
///   depend on the procedures' bodies), and those after a change in the number of commands
///   before them when the file's limit could matter to them. This is exact as long as the
///   changed units define the same interface as before (the same globals with the same values,
///   the same procedures with the same parameters and calls, no `use`), the modules and options
///   are the same; otherwise everything is checked again (parsing is still reused).
public struct IncrementalDiagnostics: Sendable {
  /// How the last update was computed.
  public enum Update: Sendable, Hashable {
    /// Every statement checked (parsed too, the first time).
    case full(reparsed: Int)
    /// `reparsed` units parsed again, `rechecked` checked again, the others reused.
    case incremental(reparsed: Int, rechecked: Int)
  }

  /// The document as last analysed.
  public private(set) var source: SourceFile
  /// The diagnostics, as ``Compiler/Output/diagnostics`` orders them.
  public private(set) var diagnostics: [Diagnostic] = []
  /// Every source involved: the document and each module it imports, by name.
  public private(set) var sources: [String: SourceFile] = [:]
  /// The document's resolved `use` statements (references to module symbols).
  public private(set) var moduleReferences: [SymbolReference] = []
  /// How the last update was computed.
  public private(set) var lastUpdate: Update = .full(reparsed: 0)

  var options: Compiler.Options
  var units: [ParsedUnit] = []
  var records: [UnitRecord] = []
  /// Where the first unterminated string starts. Such a string looks for its closing quote up to
  /// the end of the file, so an edit anywhere after it can change the tokens before the edit.
  var firstUnterminatedString: Int?

  /// Analyses a document from scratch.
  public init(
    source: SourceFile, modules: any ModuleProvider, options: Compiler.Options = .init()
  ) {
    self.source = source
    self.options = options
    var parser = Parser(source: source)
    firstUnterminatedString = IncrementalDiagnostics.firstUnterminatedString(in: parser.tokens)
    while let unit = parser.parseUnit() { units.append(unit) }
    check(modules: modules, reuse: nil)
    lastUpdate = .full(reparsed: units.count)
  }

  /// Brings the diagnostics up to date with a new text of the document (any number of edits
  /// since the last update), its modules and options.
  public mutating func update(
    to new: SourceFile, modules: any ModuleProvider, options: Compiler.Options
  ) {
    guard new.name == source.name, options.checksSame(as: self.options) else {
      self = IncrementalDiagnostics(source: new, modules: modules, options: options)
      return
    }
    let edit = Edit(old: source.bytes, new: new.bytes)
    guard (firstUnterminatedString ?? Int.max) >= edit.start else {
      self = IncrementalDiagnostics(source: new, modules: modules, options: options)
      return
    }
    // Parse again from the unit before the last one that starts before the edit, lexing from the
    // unit before that (so that the comments above a `def` are there).
    let last = IncrementalDiagnostics.lastIndex(in: units, before: edit.start)
    let first = max(0, (last ?? 0) - 1)
    var parser = Parser(source: new, lexingFrom: first > 0 ? units[first - 1].start : 0)
    if first > 0 {
      guard let position = IncrementalDiagnostics.tokenIndex(parser.tokens, at: units[first].start)
      else {
        self = IncrementalDiagnostics(source: new, modules: modules, options: options)
        return
      }
      parser.position = position
    }
    // None starts before the edit, so none before where lexing started.
    firstUnterminatedString = IncrementalDiagnostics.firstUnterminatedString(in: parser.tokens)
    var fresh: [ParsedUnit] = []
    var resume = units.count
    while true {
      parser.skipSeparators()
      if parser.current.kind == .endOfFile { break }
      let offset = parser.current.range.lowerBound
      if offset >= edit.newEnd,
        let j = IncrementalDiagnostics.unitIndex(in: units, startingAt: offset - edit.delta)
      {
        resume = j
        break
      }
      guard let unit = parser.parseUnit() else { break }
      fresh.append(unit)
    }
    var suffix = units[resume...].map { $0.shifted(by: edit.delta) }
    // The comment lines above the first reused `def` may be where the edit was.
    if case .def(var def)? = suffix.first?.statement {
      def.documentation = parser.documentationComment(before: def.range.lowerBound)
      suffix[0].statement = .def(def)
    }
    let reuse = Reuse(
      edit: edit, records: records, sources: sources, first: first, oldResume: resume,
      newResume: first + fresh.count)
    units = Array(units[..<first]) + fresh + suffix
    source = new
    self.options = options
    if !check(modules: modules, reuse: reuse) {
      check(modules: modules, reuse: nil)
      lastUpdate = .full(reparsed: fresh.count)
    }
  }

  // MARK: - Checking

  /// What an update may reuse: the old records outside the changed units.
  struct Reuse {
    var edit: Edit
    var records: [UnitRecord]
    var sources: [String: SourceFile]
    /// The first changed unit (old and new numbering agree before it).
    var first: Int
    /// The first reused unit after the change, in the old and the new numbering.
    var oldResume: Int
    var newResume: Int
  }

  /// Checks the units, reusing what `reuse` allows; returns false (changing nothing) when the
  /// changed units' interface differs, so that reuse would be wrong.
  @discardableResult
  mutating func check(modules: any ModuleProvider, reuse: Reuse?) -> Bool {
    let main = source.name
    let state = declarationsChecked(modules: modules)
    if let reuse, !IncrementalDiagnostics.sameModules(state.sources, reuse.sources, main: main) {
      return false
    }
    let changedProcedures = self.changedProcedures(reuse, in: state)
    var newRecords: [UnitRecord] = []
    newRecords.reserveCapacity(units.count)
    state.globals.reserveCapacity(state.globals.count + units.count)
    var rechecked = 0
    for k in units.indices {
      guard units[k].kind != nil else {
        newRecords.append(UnitRecord())
        continue
      }
      // An unchanged unit that expanded a changed procedure is checked again, in place.
      let expandsChanged =
        reuse?.oldRecord(forNewUnit: k).map {
          !$0.expandedProcedures.isDisjoint(with: changedProcedures)
            || !$0.sameFileLimit(before: state.fileCommandCount)
        } ?? false
      if let reuse, !expandsChanged, let record = reuse.record(forNewUnit: k) {
        Self.replay(record, of: units[k], into: state, file: main)
        newRecords.append(record)
        continue
      }
      if let reuse, k < reuse.first || k >= reuse.newResume, !expandsChanged {
        return false  // an unchanged unit mentions a range inside the edit
      }
      guard let statement = units[k].statement else {
        newRecords.append(UnitRecord())
        continue
      }
      rechecked += 1
      newRecords.append(Self.compile(statement, in: state, file: main))
    }
    if let reuse {
      guard Self.sameInterface(reuse, newRecords: newRecords) else { return false }
      lastUpdate = .incremental(reparsed: reuse.newResume - reuse.first, rechecked: rechecked)
    }
    records = newRecords
    diagnostics = state.sortedDiagnostics()
    sources = state.sources
    moduleReferences = state.references.filter { $0.file == main && $0.symbol.kind == .module }
    return true
  }

  /// A compiler state with the parse diagnostics, the `use` statements processed and the
  /// procedures registered, as the compiler's first passes leave it.
  func declarationsChecked(modules: any ModuleProvider) -> CompilerState {
    let main = source.name
    let state = CompilerState(options: options, modules: modules, main: source)
    if let bad = source.firstInvalidUTF8Offset {
      state.diagnostics.append(Diagnostic(.invalidUTF8, file: main, range: bad..<(bad + 1)))
    }
    for unit in units { state.diagnostics += unit.diagnostics }
    state.sources[main] = source
    state.loadingStack = [main]
    for k in units.indices where units[k].kind == .use {
      if case .use(let use)? = units[k].statement { state.processUse(use, file: main) }
    }
    for k in units.indices where units[k].kind == .def {
      if case .def(let def)? = units[k].statement { state.registerProcedure(def, file: main) }
    }
    return state
  }

  /// Procedures whose definitions changed, and their callers: units that expanded them are
  /// checked again, since problems with the arguments of a call are reported at the call.
  func changedProcedures(_ reuse: Reuse?, in state: CompilerState) -> Set<String> {
    var changed = Set<String>()
    if let reuse {
      for record in reuse.records[reuse.first..<reuse.oldResume] {
        if let name = record.interface.procedure?.name { changed.insert(name) }
      }
      for unit in units[reuse.first..<reuse.newResume] {
        if case .def(let def)? = unit.statement { changed.insert(def.name.text) }
      }
    }
    // A procedure calling a changed one (directly or not) expands differently too.
    return IncrementalDiagnostics.callers(of: changed, in: state.procedures)
  }

  /// Replays an unchanged unit's effects on the compiler's state: the globals it defines, the
  /// globals a `def` captures, its diagnostics and commands.
  static func replay(
    _ record: UnitRecord, of unit: ParsedUnit, into state: CompilerState, file main: String
  ) {
    for (name, variable) in record.assignments {
      var variable = variable
      if record.shift != 0 {
        variable.symbol.range = variable.symbol.range.shifted(by: record.shift)
        variable.symbol.fullRange = variable.symbol.fullRange.shifted(by: record.shift)
      }
      variable.order = state.nextOrder
      state.globals[name] = variable
      state.nextOrder += 1
    }
    if unit.kind == .def, case .def(let def)? = unit.statement {
      _ = state.captureGlobals(def, file: main)
    }
    state.diagnostics += record.diagnostics
    state.fileCommandCount += record.commandsAdded
  }

  /// Compiles one top-level statement in `state` and records what it did.
  static func compile(
    _ statement: Statement, in state: CompilerState, file main: String
  ) -> UnitRecord {
    let before = state.diagnostics.count
    let commandsBefore = state.fileCommandCount
    let requestedBefore = state.commandsRequested
    state.assignments = []
    state.expandedProcedures = []
    // What a unit reports must not depend on the expansions of the units before it.
    state.expansionCache = [:]
    _ = state.compileStatement(statement, file: main, isModule: false, topLevel: true)
    var record = UnitRecord(
      diagnostics: Array(state.diagnostics[before...]), assignments: state.assignments ?? [],
      statement: statement, procedures: state.procedures)
    record.expandedProcedures = state.expandedProcedures ?? []
    record.commandsBefore = commandsBefore
    record.commandsAdded = state.fileCommandCount - commandsBefore
    record.commandsRequested = state.commandsRequested - requestedBefore
    state.assignments = nil
    state.expandedProcedures = nil
    return record
  }

  /// True when the changed units define the same interface as before (the same globals, the
  /// same procedures, no `use`), so that reusing the other units is exact.
  static func sameInterface(_ reuse: Reuse, newRecords: [UnitRecord]) -> Bool {
    let oldInterface = reuse.records[reuse.first..<reuse.oldResume].map {
      record in
      record.interface.mapped { reuse.edit.map($0.shifted(by: record.shift), after: false) }
    }
    let newInterface = newRecords[reuse.first..<reuse.newResume].map { Optional($0.interface) }
    return oldInterface.allSatisfy({ $0 != nil && $0?.isUse == false })
      && newInterface.allSatisfy({ $0?.isUse == false })
      && oldInterface.flatMap({ $0?.definitions ?? [] })
        == newInterface.flatMap({ $0?.definitions ?? [] })
      && oldInterface.compactMap({ $0?.procedure }) == newInterface.compactMap({ $0?.procedure })
  }

  /// The procedures in `changed` and every procedure that calls one of them, directly or not.
  static func callers(of changed: Set<String>, in procedures: [String: Procedure]) -> Set<String> {
    guard !changed.isEmpty else { return changed }
    var callers: [String: [String]] = [:]
    for (name, procedure) in procedures {
      for command in procedure.definition.body.commands where command.kind == .call {
        callers[command.name.text, default: []].append(name)
      }
    }
    var result = changed
    var queue = Array(changed)
    while let name = queue.popLast() {
      for caller in callers[name] ?? [] where result.insert(caller).inserted {
        queue.append(caller)
      }
    }
    return result
  }

  static func sameModules(
    _ a: [String: SourceFile], _ b: [String: SourceFile], main: String
  ) -> Bool {
    guard a.count == b.count else { return false }
    for (name, source) in a where name != main {
      guard let other = b[name], other.bytes == source.bytes else { return false }
    }
    return true
  }

  // MARK: - Finding units and tokens

  static func firstUnterminatedString(in tokens: [Token]) -> Int? {
    tokens.first { ($0.kind == .string || $0.kind == .rawString) && !$0.isTerminated }?.range
      .lowerBound
  }

  /// The last unit starting before an offset.
  static func lastIndex(in units: [ParsedUnit], before offset: Int) -> Int? {
    var lo = 0
    var hi = units.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if units[mid].start < offset { lo = mid + 1 } else { hi = mid }
    }
    return lo > 0 ? lo - 1 : nil
  }

  /// The unit starting exactly at an offset.
  static func unitIndex(in units: [ParsedUnit], startingAt offset: Int) -> Int? {
    guard let i = lastIndex(in: units, before: offset + 1), units[i].start == offset else {
      return nil
    }
    return i
  }

  /// The token starting exactly at an offset.
  static func tokenIndex(_ tokens: [Token], at offset: Int) -> Int? {
    var lo = 0
    var hi = tokens.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if tokens[mid].range.lowerBound < offset { lo = mid + 1 } else { hi = mid }
    }
    return lo < tokens.count && tokens[lo].range.lowerBound == offset ? lo : nil
  }
}

extension IncrementalDiagnostics.Reuse {
  /// The old record of an unchanged unit, as it was; nil for a changed unit.
  func oldRecord(forNewUnit k: Int) -> UnitRecord? {
    if k < first { return records[k] }
    return k >= newResume ? records[k - newResume + oldResume] : nil
  }

  /// The old record of an unchanged unit, moved into the new text; nil for a changed unit, or
  /// when a range it mentions was inside the edit.
  func record(forNewUnit k: Int) -> UnitRecord? {
    if k < first { return records[k].mapped({ edit.map($0, after: false) }, ownDelta: 0) }
    guard k >= newResume else { return nil }
    return records[k - newResume + oldResume].mapped(
      { edit.map($0, after: true) }, ownDelta: edit.delta)
  }
}

/// One edit between two texts: `old[start..<oldEnd]` became `new[start..<newEnd]`, found as the
/// bytes between their common prefix and common suffix.
struct Edit: Sendable {
  var start: Int
  var oldEnd: Int
  var newEnd: Int
  var delta: Int { newEnd - oldEnd }

  init(old: [UInt8], new: [UInt8]) {
    let limit = min(old.count, new.count)
    var prefix = 0
    var suffix = 0
    old.withUnsafeBufferPointer { o in
      new.withUnsafeBufferPointer { n in
        while prefix < limit, o[prefix] == n[prefix] { prefix += 1 }
        while suffix < limit - prefix, o[o.count - 1 - suffix] == n[n.count - 1 - suffix] {
          suffix += 1
        }
      }
    }
    start = prefix
    oldEnd = old.count - suffix
    newEnd = new.count - suffix
  }

  /// Where an old range is in the new text; nil when it overlaps the edit. An empty range at an
  /// insertion point stays before the inserted text unless `after`.
  func map(_ range: ByteRange, after: Bool) -> ByteRange? {
    let stays = range.upperBound <= start
    let moves = range.lowerBound >= oldEnd
    if stays && (!moves || !after) { return range }
    return moves ? range.shifted(by: delta) : nil
  }
}

/// What checking one unit produced, for reuse when it has not changed.
struct UnitRecord: Sendable {
  /// Diagnostics the unit's statement produced (not its parse's).
  var diagnostics: [Diagnostic] = []
  /// The globals it defined, in order.
  var assignments: [(name: String, variable: Variable)] = []
  /// The procedures its statement expanded (directly or through other procedures).
  var expandedProcedures: Set<String> = []
  /// The commands the plan had before the unit, those it added, and those it asked for
  /// (including calls refused for a limit): the file limit depends on the statements before.
  var commandsBefore = 0
  var commandsAdded = 0
  var commandsRequested = 0
  /// What other statements can see of it.
  var interface = UnitInterface()
  /// How far the unit moved since it was checked: the ranges of `assignments` and `interface`
  /// are this many bytes behind (moved when replayed).
  var shift = 0

  init() {}

  /// A record of a checked statement; `procedures` are all those known (only calls to them
  /// matter to other statements).
  init(
    diagnostics: [Diagnostic], assignments: [(name: String, variable: Variable)],
    statement: Statement, procedures: [String: Procedure]
  ) {
    self.diagnostics = diagnostics
    self.assignments = assignments
    interface.definitions = assignments.map {
      UnitInterface.Definition(
        name: $0.name, value: $0.variable.value, kind: $0.variable.symbol.kind,
        file: $0.variable.symbol.file, range: $0.variable.symbol.range)
    }
    switch statement {
    case .def(let def):
      interface.procedure = UnitInterface.Procedure(
        name: def.name.text, range: def.name.range, parameters: def.parameters.map(\.text),
        calls: def.body.commands.filter { $0.kind == .call && procedures[$0.name.text] != nil }
          .map(\.name.text))
    case .use:
      interface.isUse = true
    default:
      break
    }
  }

  /// Whether the file limit decides the same for the unit after `before` commands as it did
  /// (it did not matter then and does not now, or nothing before the unit changed).
  func sameFileLimit(before: Int) -> Bool {
    before == commandsBefore
      || max(before, commandsBefore) + commandsRequested <= ExpansionLimits.commandsPerFile
  }

  /// The record moved into a new text: its own ranges by `ownDelta`, ranges it mentions
  /// elsewhere by `mapping`; nil when one of those was inside the edit.
  func mapped(_ mapping: (ByteRange) -> ByteRange?, ownDelta: Int) -> UnitRecord? {
    var copy = self
    if !diagnostics.isEmpty {
      copy.diagnostics = []
      for diagnostic in diagnostics {
        guard let moved = diagnostic.mapped(mapping) else { return nil }
        copy.diagnostics.append(moved)
      }
    }
    copy.shift += ownDelta
    return copy
  }
}

/// What other statements can see of a unit: the globals it defines and the procedure it is.
struct UnitInterface: Sendable, Equatable {
  struct Definition: Sendable, Equatable {
    var name: String
    var value: Value
    var kind: Symbol.Kind
    var file: String
    var range: ByteRange
  }
  struct Procedure: Sendable, Equatable {
    var name: String
    var range: ByteRange
    var parameters: [String]
    var calls: [String]
  }
  var definitions: [Definition] = []
  var procedure: Procedure?
  var isUse = false

  func mapped(_ mapping: (ByteRange) -> ByteRange?) -> UnitInterface? {
    var copy = self
    for i in copy.definitions.indices {
      guard let range = mapping(copy.definitions[i].range) else { return nil }
      copy.definitions[i].range = range
    }
    if let procedure {
      guard let range = mapping(procedure.range) else { return nil }
      copy.procedure?.range = range
    }
    return copy
  }
}

extension Diagnostic {
  /// The diagnostic with its ranges in its own file moved; nil when `mapping` fails for one.
  func mapped(_ mapping: (ByteRange) -> ByteRange?) -> Diagnostic? {
    var copy = self
    guard let range = mapping(range) else { return nil }
    copy.range = range
    for i in copy.highlights.indices {
      guard let moved = mapping(copy.highlights[i]) else { return nil }
      copy.highlights[i] = moved
    }
    for i in copy.notes.indices where copy.notes[i].file == nil || copy.notes[i].file == file {
      guard let range = copy.notes[i].range else { continue }
      guard let moved = mapping(range) else { return nil }
      copy.notes[i].range = moved
    }
    for i in copy.fixIts.indices {
      for j in copy.fixIts[i].edits.indices {
        guard let moved = mapping(copy.fixIts[i].edits[j].range) else { return nil }
        copy.fixIts[i].edits[j].range = moved
      }
    }
    return copy
  }
}

extension Compiler.Options {
  /// Whether two sets of options check a document the same way (compared for reuse).
  func checksSame(as other: Compiler.Options) -> Bool {
    environment == nil && other.environment == nil && defaultComment == other.defaultComment
      && defaultTarget == other.defaultTarget && knownMachines == other.knownMachines
      && knownLibraryFiles == other.knownLibraryFiles
      && allowRedefinition == other.allowRedefinition
  }
}
