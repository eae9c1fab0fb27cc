namespace SchedCP.Kernel.Sandbox;

/// <summary>Quoting for the POSIX shell scripts that sandbox jobs run.</summary>
internal static class ShellArgument
{
    /// <summary>Quotes one argument for POSIX sh: nothing in it is interpreted.</summary>
    /// <param name="value">The argument.</param>
    public static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
