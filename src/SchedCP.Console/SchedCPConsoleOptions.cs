using System.ComponentModel.DataAnnotations;

namespace SchedCP.Console;

/// <summary>Options of the operator console.</summary>
public sealed class SchedCPConsoleOptions
{
    /// <summary>
    /// The bearer token every request must present (or the page's login exchanges for a cookie). Required, at least 16
    /// characters; resolve it with <see cref="Security.ConsoleBearerToken.Resolve"/> to share the MCP server's token.
    /// </summary>
    [Required]
    [MinLength(Security.ConsoleBearerToken.MinimumLength)]
    public string? BearerToken { get; set; }

    /// <summary>Origins allowed besides the console's own loopback origin (scheme, host and port, no path). Default: none.</summary>
    public IList<string> AllowedOrigins { get; } = [];

    /// <summary>Where lifecycle actions are appended as JSON lines; null keeps them in memory only (the last <see cref="Audit.ConsoleAuditLog.Kept"/>). Default: null.</summary>
    public string? AuditLogPath { get; set; }

    /// <summary>When true, lifecycle actions (pause, resume, terminate) are refused with 403 and audited as refused. Default: false.</summary>
    public bool ReadOnly { get; set; }

    /// <summary>The largest request body accepted, in bytes (a lifecycle action's reason, a login). Default: 4096.</summary>
    [Range(256, 65536)]
    public int MaxRequestBodyBytes { get; set; } = 4096;

    /// <summary>The most pages watching live at once; more get 503. Default: 64.</summary>
    [Range(1, 10_000)]
    public int MaxLiveViewers { get; set; } = 64;

    /// <summary>Validates the options; the exception names the field.</summary>
    public void Validate()
    {
        Validator.ValidateObject(this, new ValidationContext(this), validateAllProperties: true);
        foreach (var origin in AllowedOrigins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var o) || (o.Scheme != "http" && o.Scheme != "https") || o.PathAndQuery != "/" || origin.TrimEnd('/').Count(c => c == '/') != 2)
            {
                throw new ValidationException($"AllowedOrigins: '{origin}' is not an origin; give scheme, host and port with no path, e.g. http://localhost:5173.");
            }
        }
    }
}
