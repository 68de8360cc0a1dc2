/// The Defender for Endpoint client core (filled in by the client issue).
public enum DefenderClientModule {}
