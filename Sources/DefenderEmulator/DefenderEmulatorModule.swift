/// The local Defender for Endpoint API emulator (filled in by the emulator issue).
public enum DefenderEmulatorModule {}
