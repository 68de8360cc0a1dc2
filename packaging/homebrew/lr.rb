# Homebrew formula for lr (macOS; Linux with Homebrew should work too). UNTESTED: lr is built and
# tested on Debian only, and no run of `brew install` has been made; see packaging/macos.md.
#
# It builds from the tagged source with the Swift toolchain (`swift build -c release`) and writes
# the same layout as `make install`, with the same script (packaging/install-layout.sh):
#   bin/lr, libexec/lr/lr-core, share/lr/stdlib, share/man/man1/lr.1,
#   share/bash-completion/completions/lr, share/zsh/site-functions/_lr,
#   share/fish/vendor_completions.d/lr.fish
# Homebrew links bin/ and share/ of the keg into its prefix; lr resolves the bin/lr symlink to the
# keg and finds lr-core in ../libexec/lr and its stdlib in ../share/lr/stdlib (docs/install.md).
#
# Before publishing: replace OWNER with the repository's owner and fill in the tag and revision
# of the release (VERSION is Sources/LRSystem/LRVersion.swift's number).
class Lr < Formula
  desc "Scripting REPL and batch runner for Microsoft Defender for Endpoint Live Response"
  homepage "https://github.com/OWNER/lr"
  url "https://github.com/OWNER/lr.git",
      tag:      "v0.1.0",
      revision: "0000000000000000000000000000000000000000"
  head "https://github.com/OWNER/lr.git", branch: "main"

  # Package.swift: swift-tools-version 6.2, platforms macOS 14.
  depends_on xcode: ["26.0", :build]
  depends_on macos: :sonoma

  uses_from_macos "swift" => :build
  uses_from_macos "libedit"
  uses_from_macos "sqlite"

  def install
    # The commit `lr --version` prints, as `make release-static` compiles it in (LRCommit.h).
    commit = Utils.git_short_head(buildpath, length: 12)
    (buildpath/"commit").mkpath
    (buildpath/"commit/LRCommit.h").write "#define LR_COMMIT \"#{commit}\"\n"
    %w[lr-core lr].each do |product|
      system "swift", "build", "--disable-sandbox", "-c", "release", "--product", product,
             "-Xcc", "-I#{buildpath}/commit"
    end
    built = Utils.safe_popen_read("swift", "build", "--disable-sandbox", "-c", "release",
                                  "--show-bin-path").chomp

    # swift-argument-parser's generate-manual tool, built the way the Makefile builds it.
    system "swift", "package", "--disable-sandbox", "generate-manual", "--help"
    debug_bin = Utils.safe_popen_read("swift", "build", "--disable-sandbox", "--show-bin-path").chomp
    manual_tool = ["generate-manual-tool", "generate-manual"].map { |name| "#{debug_bin}/#{name}" }
                                                            .find { |path| File.executable?(path) }
    odie "swift-argument-parser's generate-manual tool was not built" if manual_tool.nil?

    system "bash", "packaging/install-layout.sh", "#{built}/lr", prefix, manual_tool
  end

  def caveats
    <<~EOS
      `lr --lab` opens the REPL on the built-in lab (no tenant needed).
      lr keeps its journal and results under ~/.local/state/lr (XDG_STATE_HOME).
    EOS
  end

  test do
    assert_match version.to_s, shell_output("#{bin}/lr --version")
    (testpath/"x.lr").write <<~EOS
      use "windows"
      on machine "ws-0142" < run Get-Processes.ps1 >
    EOS
    system bin/"lr", "check", testpath/"x.lr"
    assert_path_exists share/"lr/stdlib/windows.lr"
    assert_path_exists man1/"lr.1"
    # install-layout.sh's path, not Homebrew's bash_completion (etc/bash_completion.d); Homebrew's
    # bash-completion@2 reads share/bash-completion/completions.
    completion = share/"bash-completion/completions/lr"
    assert_match "lr", shell_output("bash -c 'source #{completion} && complete -p lr'")
  end
end
