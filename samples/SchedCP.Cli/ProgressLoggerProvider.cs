using Microsoft.Extensions.Logging;
using Spectre.Console;

/// <summary>
/// On a terminal, log lines become the caption of the live progress display (warnings and errors are printed above it)
/// instead of console lines that would tear the spinner apart. <see cref="Progress"/> is set once the display runs.
/// </summary>
internal sealed class ProgressLoggerProvider : ILoggerProvider
{
    public IProgress<string>? Progress { get; set; }

    /// <summary>With <c>--verbose</c> every line is also kept above the display, as the console logger would print it.</summary>
    public bool KeepLines { get; set; }

    public ILogger CreateLogger(string categoryName) => new CaptionLogger(this);

    public void Dispose()
    {
    }

    private sealed class CaptionLogger(ProgressLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception);
            if (logLevel >= LogLevel.Warning)
            {
                Terminal.Stderr.MarkupLine($"[yellow]{(logLevel >= LogLevel.Error ? "error" : "warn")}:[/] {Markup.Escape(message)}");
                return;
            }

            if (owner.KeepLines)
            {
                Terminal.Stderr.WriteLine(message);
            }

            owner.Progress?.Report(message);
        }
    }
}
