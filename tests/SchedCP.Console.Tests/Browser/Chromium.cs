namespace SchedCP.Console.Tests.Browser;

/// <summary>Where Debian's chromium and chromedriver are (override with SCHEDCP_CHROMIUM / SCHEDCP_CHROMEDRIVER).</summary>
public static class Chromium
{
    public static string Browser => Environment.GetEnvironmentVariable("SCHEDCP_CHROMIUM") is { Length: > 0 } b ? b : "/usr/bin/chromium";

    public static string Driver => Environment.GetEnvironmentVariable("SCHEDCP_CHROMEDRIVER") is { Length: > 0 } d ? d : "/usr/bin/chromedriver";

    public static bool TryLocate(out string? missing)
    {
        missing = !File.Exists(Browser) ? Browser : !File.Exists(Driver) ? Driver : null;
        return missing is null;
    }

    public static string Remedy(string missing) =>
        $"{missing} not found: install Debian's headless browser and driver with 'apt-get install chromium chromium-driver' (./build.sh toolchain does), or point SCHEDCP_CHROMIUM / SCHEDCP_CHROMEDRIVER at them.";
}
