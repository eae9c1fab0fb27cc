using SchedCP.Agents.Runtime;
using SchedCP.Agents.Runtime.Agents;
using SchedCP.Agents.Runtime.WorkUnits;

namespace SchedCP.Console.Tests;

/// <summary>
/// A real agent runtime with contention: <c>holder</c> takes <c>src/shared.c</c> exclusively and writes it, then keeps
/// it until <see cref="Release"/>; <c>waiter-1..3</c> queue for it in that order; <c>worker</c> keeps taking turns until
/// <see cref="Release"/> so an operator can pause and resume it.
/// </summary>
public sealed class ContendedRuntime : IAsyncDisposable
{
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly string _workspace;

    public ContendedRuntime(bool withWorker = true)
    {
        _workspace = Directory.CreateTempSubdirectory("schedcp-console-").FullName;
        Directory.CreateDirectory(Path.Combine(_workspace, "src"));
        File.WriteAllText(Path.Combine(_workspace, "src/shared.c"), "int slice_ns = 5000000;\n");
        Runtime = new AgentRuntime(new AgentRuntimeOptions { WorkspaceRoot = _workspace, DefaultLeaseTtl = TimeSpan.FromMinutes(10), EventLogPath = null });
        var shared = WorkUnit.File("src/shared.c");
        Runtime.AddAgent("holder", async (ctx, ct) =>
        {
            var lease = (await ctx.ClaimAsync([Claim.Exclusive(shared)])).GetValueOrThrow();
            ctx.WriteFile("src/shared.c", "int slice_ns = 3000000;\n", lease.FencingToken).GetValueOrThrow();
            await HoldAsync(ctx);
            ctx.Release(lease);
        });
        foreach (var name in (string[])["waiter-1", "waiter-2", "waiter-3"])
        {
            Runtime.AddAgent(name, async (ctx, ct) =>
            {
                var lease = (await ctx.ClaimAsync([Claim.Exclusive(shared)])).GetValueOrThrow();
                ctx.Release(lease);
            });
        }

        if (withWorker)
        {
            Runtime.AddAgent("worker", async (ctx, ct) => await HoldAsync(ctx));
        }
    }

    public AgentRuntime Runtime { get; }

    public Task<AgentRunReport>? Run { get; private set; }

    public void Start() => Run = Task.Run(() => Runtime.RunAsync(_stop.Token));

    public void Release() => _release.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        Release();
        if (Run is not null)
        {
            try
            {
                await Run.WaitAsync(TimeSpan.FromSeconds(20));
            }
            catch (Exception) when (Run.IsFaulted || Run.IsCanceled || !Run.IsCompleted)
            {
                await _stop.CancelAsync();
            }
        }

        Runtime.Dispose();
        _stop.Dispose();
        Directory.Delete(_workspace, recursive: true);
    }

    private async Task HoldAsync(AgentContext ctx)
    {
        while (!_release.Task.IsCompleted)
        {
            await Task.Delay(40);
            await ctx.YieldAsync();
        }
    }
}
