import Foundation
import LRTestSupport
import Testing

/// What the generated init.lua writes after talking to `lr lsp`.
struct NeovimReport: Decodable {
  struct Diagnostic: Decodable {
    var lnum: Int
    var col: Int
    var message: String
    var severity: Int
  }
  var attached: Bool
  var diagnostics: [Diagnostic]
  var completions: [String]
  var completionError: String?
}

/// The Neovim the end-to-end test drives, if installed.
let neovim: URL? = {
  let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
  for dir in path.split(separator: ":") {
    let candidate = URL(fileURLWithPath: String(dir)).appendingPathComponent("nvim")
    if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
  }
  return nil
}()

@Suite("Neovim (headless) with lr lsp")
struct NeovimEndToEndTests {
  /// The init script: works with Neovim 0.7 (`vim.lsp.start_client` + `buf_attach_client`).
  static func initScript(lr: String, file: String, report: String) -> String {
    """
    local lr, file, report = \(luaString(lr)), \(luaString(file)), \(luaString(report))
    if vim.filetype and vim.filetype.add then
      vim.filetype.add({ extension = { lr = 'lr' } })
    end
    local result = { attached = false, diagnostics = {}, completions = {} }
    local function finish()
      vim.fn.writefile({ vim.fn.json_encode(result) }, report)
      vim.cmd('qa!')
    end
    vim.cmd('edit ' .. vim.fn.fnameescape(file))
    local buf = vim.api.nvim_get_current_buf()
    vim.bo[buf].filetype = 'lr'
    local client_id = vim.lsp.start_client({
      name = 'lr', cmd = { lr, 'lsp' }, root_dir = vim.fn.fnamemodify(file, ':h'),
    })
    if not client_id then finish() end
    result.attached = vim.lsp.buf_attach_client(buf, client_id)
    vim.wait(15000, function() return #vim.diagnostic.get(buf) > 0 end, 20)
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      table.insert(result.diagnostics, { lnum = d.lnum, col = d.col, message = d.message, severity = d.severity })
    end
    local params = { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = 5, character = 17 } }
    local responses, err = vim.lsp.buf_request_sync(buf, 'textDocument/completion', params, 10000)
    if err then result.completionError = tostring(err) end
    for _, response in pairs(responses or {}) do
      if response.err then result.completionError = vim.inspect(response.err) end
      local items = response.result or {}
      if items.items then items = items.items end
      for _, item in ipairs(items) do table.insert(result.completions, item.label) end
    end
    finish()
    """
  }

  static func luaString(_ s: String) -> String {
    "\""
      + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
      + "\""
  }

  @Test(
    .enabled(if: neovim != nil, "nvim is not installed (apt-get install neovim)"),
    .timeLimit(.minutes(1)))
  func neovimShowsDiagnosticsAndCompletions() async throws {
    let nvim = try #require(neovim)
    let lr = LRTestSupport.lrExecutable
    try #require(
      FileManager.default.isExecutableFile(atPath: lr.path), "build lr first: \(lr.path)")
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("triage.lr")
    try """
    # Dump a process and fetch the dump.
    def memdump(process) <
      run minidump.ps1 $process
    >
    on machine X < gte 'C:\\a.txt' >
    on machine X < me
    """.write(to: file, atomically: true, encoding: .utf8)
    let report = dir.appendingPathComponent("report.json")
    let initLua = dir.appendingPathComponent("init.lua")
    try NeovimEndToEndTests.initScript(lr: lr.path, file: file.path, report: report.path)
      .write(to: initLua, atomically: true, encoding: .utf8)
    let timeout = URL(fileURLWithPath: "/usr/bin/timeout")
    let useTimeout = FileManager.default.isExecutableFile(atPath: timeout.path)
    let args = ["--headless", "--clean", "-u", initLua.path]
    let result = try await LRTestSupport.run(
      useTimeout ? timeout : nvim, useTimeout ? ["40", nvim.path] + args : args,
      environment: [
        "XDG_CACHE_HOME": dir.path, "XDG_STATE_HOME": dir.path, "XDG_DATA_HOME": dir.path,
        "XDG_CONFIG_HOME": dir.path,
      ],
      currentDirectory: dir)
    let data = try #require(
      FileManager.default.contents(atPath: report.path),
      "nvim wrote no report (status \(result.status)): \(result.stdout) \(result.stderr)")
    let parsed = try JSONDecoder().decode(NeovimReport.self, from: data)
    #expect(parsed.attached)
    let unknown = parsed.diagnostics.first { $0.message.contains("gte") }
    #expect(unknown?.lnum == 4)
    #expect(unknown?.col == 15)
    #expect(unknown?.severity == 1)
    #expect(parsed.completionError == nil)
    #expect(parsed.completions.contains("memdump"), "\(parsed.completions)")
  }
}
