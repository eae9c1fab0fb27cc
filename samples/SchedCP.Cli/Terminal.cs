using Spectre.Console;

/// <summary>
/// Where output goes and how it looks: Spectre tables and live progress when a person watches a terminal, plain lines
/// when stdout or stderr is redirected (scripts, tests, CI logs), so nothing but text reaches a file.
/// </summary>
internal static class Terminal
{
    /// <summary>True when stdout is a terminal: tables instead of one line per item.</summary>
    public static bool StdoutIsInteractive => !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("TERM") != "dumb";

    /// <summary>True when stderr is a terminal: a live progress line instead of plain progress lines.</summary>
    public static bool StderrIsInteractive => !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("TERM") != "dumb";

    private static IAnsiConsole Stdout => AnsiConsole.Console;

    /// <summary>A console on stderr, so stdout keeps only the result (a report, JSON) while the work is shown.</summary>
    public static IAnsiConsole Stderr { get; } = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    /// <summary>Writes <paramref name="rows"/> under <paramref name="headers"/>: a table on a terminal, else the plain lines <paramref name="plain"/> gives.</summary>
    public static void Table<T>(IReadOnlyCollection<T> rows, string[] headers, Func<T, string[]> cells, Func<T, string> plain)
    {
        if (!StdoutIsInteractive)
        {
            foreach (var row in rows)
            {
                Console.WriteLine(plain(row));
            }

            return;
        }

        var table = new Table().Border(TableBorder.Rounded);
        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn(Markup.Escape(header)));
        }

        foreach (var row in rows)
        {
            table.AddRow(cells(row).Select(c => new Text(c)).ToArray());
        }

        Stdout.Write(table);
    }

    /// <summary>
    /// Runs <paramref name="work"/> with a progress display on stderr: a spinner whose caption follows what the work
    /// reports on a terminal; when stderr is redirected, <paramref name="title"/> and each report as a plain line.
    /// </summary>
    public static async Task<T> ProgressAsync<T>(string title, Func<IProgress<string>, Task<T>> work)
    {
        if (!StderrIsInteractive)
        {
            await Console.Error.WriteLineAsync(title);
            return await work(new StderrLines());
        }

        return await Stderr.Status().Spinner(Spinner.Known.Dots).StartAsync(Markup.Escape(title), async context =>
            await work(new StatusCaption(context, title)));
    }

    private sealed class StderrLines : IProgress<string>
    {
        public void Report(string value) => Console.Error.WriteLine(value);
    }

    private sealed class StatusCaption(StatusContext context, string title) : IProgress<string>
    {
        public void Report(string value) => context.Status(Markup.Escape($"{title} {value}"));
    }
}
