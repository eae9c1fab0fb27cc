using System.Diagnostics;
using SchedCP.Kernel.Sandbox;

namespace SchedCP.Kernel.Tests.Trials;

public sealed class ShellQuoteTests
{
    [Theory]
    [InlineData("slice_ns=5000000")]
    [InlineData("it's; rm -rf / `reboot` $(halt) \"x\" \\ *")]
    [InlineData("")]
    [InlineData("line\nbreak")]
    public async Task Quoted_argument_reaches_the_program_unchanged_through_a_real_shell(string value)
    {
        var psi = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add($"printf '%s' {ShellArgument.Quote(value)}");
        using var p = Process.Start(psi)!;
        var echoed = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();

        Assert.Equal(value, echoed);
    }
}
