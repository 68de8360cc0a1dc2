import LiveResponse

extension RequestBody {
  /// The body exactly as POSTed: `{"Commands":[{"type","params":[{"key","value"}]}],"Comment"}`.
  /// Run-time values are written in their `${…}` form (the engine fills them in before sending).
  public func json(resolving results: ResultValues? = nil, comment override: String? = nil)
    -> JSONValue
  {
    request(resolving: results, comment: override).json
  }

  /// The body as the service's request: run-time values filled in from `results` (or written in
  /// their `${…}` form when nil).
  public func request(resolving results: ResultValues? = nil, comment override: String? = nil)
    -> LiveResponseRequest
  {
    func text(_ s: PlanString) -> String { results.map { s.resolve($0) } ?? s.description }
    return LiveResponseRequest(
      commands: commands.map { command in
        LiveResponseCommand(
          command.type, params: command.params.map { .init(key: $0.key, value: text($0.value)) })
      },
      comment: override ?? text(comment))
  }
}

extension TargetSelector {
  /// `[{"machine": "…"}, {"tag": "…"}, …]`.
  public var json: JSONValue {
    .array(
      terms.map {
        switch $0 {
        case .machine(let s): .object([("machine", .string(s.description))])
        case .tag(let s): .object([("tag", .string(s.description))])
        case .name(let s): .object([("name", .string(s.description))])
        case .file(let s): .object([("file", .string(s.description))])
        case .filter(let s): .object([("filter", .string(s.description))])
        case .results(let binding, let subset, let condition):
          .object(
            [("result", .string(binding)), ("machines", .string(subset.rawValue))]
              + (condition.map { [("where", .string($0.description))] } ?? []))
        }
      })
  }

  /// `machine WS-1 + tag "x"` — for summaries.
  public var summary: String {
    terms.map {
      switch $0 {
      case .machine(let s): "machine \(s)"
      case .tag(let s): "tag \"\(s)\""
      case .name(let s): "name \"\(s)\""
      case .file(let s): "file \"\(s)\""
      case .filter(let s): "filter \"\(s)\""
      case .results(let binding, let subset, let condition):
        "$\(binding)" + (subset == .machines ? "" : ".\(subset.rawValue)")
          + (condition.map { " where \($0)" } ?? "")
      }
    }.joined(separator: " + ")
  }
}

extension Plan {
  /// The whole plan: statements with targets, request sequences, bindings and branches.
  public func json(sources: [String: SourceFile]) -> JSONValue {
    func location(_ file: String, _ range: ByteRange) -> String {
      guard let source = sources[file] else { return file }
      return "\(file):\(source.location(of: range.lowerBound))"
    }
    func steps(_ list: [PlanStep]) -> JSONValue {
      .array(
        list.map { step in
          switch step {
          case .statement(let s):
            var members: [(String, JSONValue)] = [
              ("statement", .number(s.number)),
              ("location", .string(location(s.file, s.range))),
              ("targets", s.target.json),
            ]
            if let binding = s.binding { members.append(("bind", .string(binding))) }
            if let rollout = s.rollout { members.append(("rollout", rollout.json)) }
            members.append(("requests", .array(s.requests.map { $0.json() })))
            return .object(members)
          case .branch(let b):
            return .object([
              ("if", .string(b.condition.description)),
              ("location", .string(location(b.file, b.range))),
              ("then", steps(b.thenSteps)),
              ("else", steps(b.elseSteps)),
            ])
          }
        })
    }
    return .object([("source", .string(source)), ("steps", steps(self.steps))])
  }
}

extension RolloutPolicy {
  /// `{"canary": 10, "waves": "10%", "stopIfFailed": "5"}`, with only the options set.
  public var json: JSONValue {
    var members: [(String, JSONValue)] = []
    if let canary { members.append(("canary", .number(canary))) }
    if let waves { members.append(("waves", .string(waves.description))) }
    if let stopIfFailed { members.append(("stopIfFailed", .string(stopIfFailed.description))) }
    return .object(members)
  }
}
