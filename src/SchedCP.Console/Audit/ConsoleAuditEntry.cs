namespace SchedCP.Console.Audit;

/// <summary>One audited console action.</summary>
/// <param name="Time">When it was decided.</param>
/// <param name="Action">pause, resume or terminate.</param>
/// <param name="Target">runtime/agent.</param>
/// <param name="Transport">How the caller came: <c>http</c> (bearer header) or <c>http-cookie</c> (the page).</param>
/// <param name="Remote">The caller's address and port.</param>
/// <param name="BearerSha256">The first 16 hex digits of the SHA-256 of the token presented; never the token.</param>
/// <param name="Reason">The reason the caller gave, if any.</param>
/// <param name="Outcome">accepted, refused or failed.</param>
/// <param name="Detail">The runtime's answer or the refusal's reason.</param>
public sealed record ConsoleAuditEntry(
    DateTimeOffset Time, string Action, string Target, string Transport, string? Remote, string? BearerSha256, string? Reason, string Outcome, string Detail);
