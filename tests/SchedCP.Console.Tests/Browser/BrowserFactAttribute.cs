namespace SchedCP.Console.Tests.Browser;

/// <summary>
/// A test that drives headless Chromium. Off CI it is skipped, with the reason, when chromium or chromedriver is
/// missing; in CI (CI=true) it always runs, so a missing browser fails with the install command.
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        var inCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!inCi && !Chromium.TryLocate(out var missing))
        {
            Skip = Chromium.Remedy(missing!);
        }
    }
}
